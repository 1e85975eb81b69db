"""Every write of the Open311 app: keys, inbound requests and updates, outbound requests."""

from .inbound import request_create, update_create
from .keys import client_issue, client_revoke
from .outbound import outbound_enqueue, outbound_poll_one, outbound_send

__all__ = [
    "client_issue",
    "client_revoke",
    "outbound_enqueue",
    "outbound_poll_one",
    "outbound_send",
    "request_create",
    "update_create",
]
