"""Generate an image (the service's t2i chat type)."""

from qwen_api import Qwen

with Qwen() as client:
    result = client.images.generate(prompt="a panda reading a newspaper", size="16:9")
    for image in result.data:
        print(image.url, image.width, image.height)
