"""Upload a document (streamed from disk, parsed by the service) and ask about it, asynchronously."""

import asyncio
import tempfile
from pathlib import Path

from qwen_api import Qwen


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.pdf"
        report.write_bytes(b"%PDF-1.4\n% a tiny document\n" + b"0" * 2048 + b"\n%%EOF\n")
        async with Qwen() as client:
            uploaded = await client.chat.async_upload_file(
                file_path=str(report), progress=lambda sent, total: print(f"\rupload {sent}/{total}", end="")
            )
            print(f"\nuploaded {uploaded.filename} ({uploaded.mimetype}, parse: {uploaded.parse_status})")
            response = await client.chat.acreate(
                messages=[{"role": "user", "content": "Summarise the attached report."}],
                model="qwen-plus-latest",
                files=[uploaded],
            )
            print(response.choices[0].message.content)


asyncio.run(main())
