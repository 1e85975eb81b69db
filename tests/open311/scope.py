"""Open311 endpoints are public by specification; what they show is the public part of a case
(tests/open311/test_requests_get.py checks that no reporter contact data ever appears)."""

from tests.scope_registry import public

public(
    "open311/v2/discovery.<fmt:fmt>",
    "open311/v2/services.<fmt:fmt>",
    "open311/v2/services/<str:service_code>.<fmt:fmt>",
    "open311/v2/requests.<fmt:fmt>",
    "open311/v2/requests/<str:service_request_id>.<fmt:fmt>",
    "open311/v2/tokens/<str:token>.<fmt:fmt>",
    "open311/v2/servicerequestupdates.<fmt:fmt>",
)
