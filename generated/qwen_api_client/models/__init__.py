"""Contains all the data models used in inputs/outputs.

Each model module is imported on first use (PEP 562 ``__getattr__``), so that importing one model
does not build every attrs class of the API (template: spec/templates/models_init.py.jinja).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .chat_body import ChatBody
    from .chat_body_messages_item import ChatBodyMessagesItem
    from .chat_completion_request import ChatCompletionRequest
    from .chat_detail import ChatDetail
    from .chat_detail_envelope import ChatDetailEnvelope
    from .chat_detail_meta import ChatDetailMeta
    from .chat_history import ChatHistory
    from .chat_history_messages import ChatHistoryMessages
    from .chat_history_messages_additional_property import ChatHistoryMessagesAdditionalProperty
    from .chat_list_envelope import ChatListEnvelope
    from .chat_pagination import ChatPagination
    from .chat_summary import ChatSummary
    from .choice_chunk import ChoiceChunk
    from .chunk_choice import ChunkChoice
    from .delete_chat_envelope import DeleteChatEnvelope
    from .delete_chat_result import DeleteChatResult
    from .delta import Delta
    from .delta_extra import DeltaExtra
    from .delta_extra_image_list_item import DeltaExtraImageListItem
    from .envelope import Envelope
    from .error_data import ErrorData
    from .error_envelope import ErrorEnvelope
    from .feature_config import FeatureConfig
    from .file_ref import FileRef
    from .file_ref_file import FileRefFile
    from .file_ref_file_data import FileRefFileData
    from .file_ref_meta import FileRefMeta
    from .file_ref_meta_parse_meta import FileRefMetaParseMeta
    from .function_call import FunctionCall
    from .function_call_arguments_type_1 import FunctionCallArgumentsType1
    from .legacy_completion_request import LegacyCompletionRequest
    from .legacy_completion_request_messages_item import LegacyCompletionRequestMessagesItem
    from .library_list_envelope import LibraryListEnvelope
    from .library_list_envelope_data import LibraryListEnvelopeData
    from .library_list_envelope_data_items_item import LibraryListEnvelopeDataItemsItem
    from .message_extra import MessageExtra
    from .message_meta import MessageMeta
    from .model import Model
    from .model_abilities import ModelAbilities
    from .model_capabilities import ModelCapabilities
    from .model_info import ModelInfo
    from .model_list import ModelList
    from .model_list_envelope import ModelListEnvelope
    from .model_meta import ModelMeta
    from .model_meta_file_limits import ModelMetaFileLimits
    from .model_meta_think_skip import ModelMetaThinkSkip
    from .new_chat_data import NewChatData
    from .new_chat_envelope import NewChatEnvelope
    from .new_chat_request import NewChatRequest
    from .parse_envelope import ParseEnvelope
    from .parse_request import ParseRequest
    from .parse_status_envelope import ParseStatusEnvelope
    from .parse_status_item import ParseStatusItem
    from .parse_status_request import ParseStatusRequest
    from .response_created import ResponseCreated
    from .response_created_event import ResponseCreatedEvent
    from .response_info import ResponseInfo
    from .response_info_event import ResponseInfoEvent
    from .response_stopped import ResponseStopped
    from .response_stopped_event import ResponseStoppedEvent
    from .session_user import SessionUser
    from .stop_request import StopRequest
    from .stream_error_detail import StreamErrorDetail
    from .stream_error_event import StreamErrorEvent
    from .sts_token import StsToken
    from .sts_token_envelope import StsTokenEnvelope
    from .sts_token_request import StsTokenRequest
    from .summary_text import SummaryText
    from .task_status import TaskStatus
    from .task_status_envelope import TaskStatusEnvelope
    from .token_details import TokenDetails
    from .token_pair import TokenPair
    from .token_pair_envelope import TokenPairEnvelope
    from .usage import Usage
    from .user_message import UserMessage
    from .user_status_request import UserStatusRequest
    from .user_status_request_typarms import UserStatusRequestTyparms
    from .video_task_envelope import VideoTaskEnvelope
    from .video_task_envelope_data import VideoTaskEnvelopeData
    from .video_task_envelope_data_messages_item import VideoTaskEnvelopeDataMessagesItem
    from .waf_block import WafBlock
    from .waf_block_data import WafBlockData
    from .web_search_info import WebSearchInfo

_MODULE_OF = {
    "ChatBody": ".chat_body",
    "ChatBodyMessagesItem": ".chat_body_messages_item",
    "ChatCompletionRequest": ".chat_completion_request",
    "ChatDetail": ".chat_detail",
    "ChatDetailEnvelope": ".chat_detail_envelope",
    "ChatDetailMeta": ".chat_detail_meta",
    "ChatHistory": ".chat_history",
    "ChatHistoryMessages": ".chat_history_messages",
    "ChatHistoryMessagesAdditionalProperty": ".chat_history_messages_additional_property",
    "ChatListEnvelope": ".chat_list_envelope",
    "ChatPagination": ".chat_pagination",
    "ChatSummary": ".chat_summary",
    "ChoiceChunk": ".choice_chunk",
    "ChunkChoice": ".chunk_choice",
    "DeleteChatEnvelope": ".delete_chat_envelope",
    "DeleteChatResult": ".delete_chat_result",
    "Delta": ".delta",
    "DeltaExtra": ".delta_extra",
    "DeltaExtraImageListItem": ".delta_extra_image_list_item",
    "Envelope": ".envelope",
    "ErrorData": ".error_data",
    "ErrorEnvelope": ".error_envelope",
    "FeatureConfig": ".feature_config",
    "FileRef": ".file_ref",
    "FileRefFile": ".file_ref_file",
    "FileRefFileData": ".file_ref_file_data",
    "FileRefMeta": ".file_ref_meta",
    "FileRefMetaParseMeta": ".file_ref_meta_parse_meta",
    "FunctionCall": ".function_call",
    "FunctionCallArgumentsType1": ".function_call_arguments_type_1",
    "LegacyCompletionRequest": ".legacy_completion_request",
    "LegacyCompletionRequestMessagesItem": ".legacy_completion_request_messages_item",
    "LibraryListEnvelope": ".library_list_envelope",
    "LibraryListEnvelopeData": ".library_list_envelope_data",
    "LibraryListEnvelopeDataItemsItem": ".library_list_envelope_data_items_item",
    "MessageExtra": ".message_extra",
    "MessageMeta": ".message_meta",
    "Model": ".model",
    "ModelAbilities": ".model_abilities",
    "ModelCapabilities": ".model_capabilities",
    "ModelInfo": ".model_info",
    "ModelList": ".model_list",
    "ModelListEnvelope": ".model_list_envelope",
    "ModelMeta": ".model_meta",
    "ModelMetaFileLimits": ".model_meta_file_limits",
    "ModelMetaThinkSkip": ".model_meta_think_skip",
    "NewChatData": ".new_chat_data",
    "NewChatEnvelope": ".new_chat_envelope",
    "NewChatRequest": ".new_chat_request",
    "ParseEnvelope": ".parse_envelope",
    "ParseRequest": ".parse_request",
    "ParseStatusEnvelope": ".parse_status_envelope",
    "ParseStatusItem": ".parse_status_item",
    "ParseStatusRequest": ".parse_status_request",
    "ResponseCreated": ".response_created",
    "ResponseCreatedEvent": ".response_created_event",
    "ResponseInfo": ".response_info",
    "ResponseInfoEvent": ".response_info_event",
    "ResponseStopped": ".response_stopped",
    "ResponseStoppedEvent": ".response_stopped_event",
    "SessionUser": ".session_user",
    "StopRequest": ".stop_request",
    "StreamErrorDetail": ".stream_error_detail",
    "StreamErrorEvent": ".stream_error_event",
    "StsToken": ".sts_token",
    "StsTokenEnvelope": ".sts_token_envelope",
    "StsTokenRequest": ".sts_token_request",
    "SummaryText": ".summary_text",
    "TaskStatus": ".task_status",
    "TaskStatusEnvelope": ".task_status_envelope",
    "TokenDetails": ".token_details",
    "TokenPair": ".token_pair",
    "TokenPairEnvelope": ".token_pair_envelope",
    "Usage": ".usage",
    "UserMessage": ".user_message",
    "UserStatusRequest": ".user_status_request",
    "UserStatusRequestTyparms": ".user_status_request_typarms",
    "VideoTaskEnvelope": ".video_task_envelope",
    "VideoTaskEnvelopeData": ".video_task_envelope_data",
    "VideoTaskEnvelopeDataMessagesItem": ".video_task_envelope_data_messages_item",
    "WafBlock": ".waf_block",
    "WafBlockData": ".waf_block_data",
    "WebSearchInfo": ".web_search_info",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))


__all__ = (
    "ChatBody",
    "ChatBodyMessagesItem",
    "ChatCompletionRequest",
    "ChatDetail",
    "ChatDetailEnvelope",
    "ChatDetailMeta",
    "ChatHistory",
    "ChatHistoryMessages",
    "ChatHistoryMessagesAdditionalProperty",
    "ChatListEnvelope",
    "ChatPagination",
    "ChatSummary",
    "ChoiceChunk",
    "ChunkChoice",
    "DeleteChatEnvelope",
    "DeleteChatResult",
    "Delta",
    "DeltaExtra",
    "DeltaExtraImageListItem",
    "Envelope",
    "ErrorData",
    "ErrorEnvelope",
    "FeatureConfig",
    "FileRef",
    "FileRefFile",
    "FileRefFileData",
    "FileRefMeta",
    "FileRefMetaParseMeta",
    "FunctionCall",
    "FunctionCallArgumentsType1",
    "LegacyCompletionRequest",
    "LegacyCompletionRequestMessagesItem",
    "LibraryListEnvelope",
    "LibraryListEnvelopeData",
    "LibraryListEnvelopeDataItemsItem",
    "MessageExtra",
    "MessageMeta",
    "Model",
    "ModelAbilities",
    "ModelCapabilities",
    "ModelInfo",
    "ModelList",
    "ModelListEnvelope",
    "ModelMeta",
    "ModelMetaFileLimits",
    "ModelMetaThinkSkip",
    "NewChatData",
    "NewChatEnvelope",
    "NewChatRequest",
    "ParseEnvelope",
    "ParseRequest",
    "ParseStatusEnvelope",
    "ParseStatusItem",
    "ParseStatusRequest",
    "ResponseCreated",
    "ResponseCreatedEvent",
    "ResponseInfo",
    "ResponseInfoEvent",
    "ResponseStopped",
    "ResponseStoppedEvent",
    "SessionUser",
    "StopRequest",
    "StreamErrorDetail",
    "StreamErrorEvent",
    "StsToken",
    "StsTokenEnvelope",
    "StsTokenRequest",
    "SummaryText",
    "TaskStatus",
    "TaskStatusEnvelope",
    "TokenDetails",
    "TokenPair",
    "TokenPairEnvelope",
    "Usage",
    "UserMessage",
    "UserStatusRequest",
    "UserStatusRequestTyparms",
    "VideoTaskEnvelope",
    "VideoTaskEnvelopeData",
    "VideoTaskEnvelopeDataMessagesItem",
    "WafBlock",
    "WafBlockData",
    "WebSearchInfo",
)
