"""A small Open311 GeoReport v2 client for the endpoints our units are served by (JSON)."""

import requests
from django.conf import settings


class RemoteError(Exception):
    """A failed call; `retry` says whether trying again later can help (5xx, 429, network)."""

    def __init__(self, message: str, retry: bool):
        super().__init__(message)
        self.retry = retry


def timeout() -> float:
    return getattr(settings, "JICENG_OPEN311_TIMEOUT", 20)


def _url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path


def _first(resp: requests.Response) -> dict:
    if resp.status_code >= 400:
        retry = resp.status_code >= 500 or resp.status_code == 429
        raise RemoteError(f"HTTP {resp.status_code}: {resp.text[:300]}", retry)
    try:
        data = resp.json()
    except ValueError:
        raise RemoteError(f"不是 JSON 响应：{resp.text[:200]}", retry=True) from None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return data[0]
    raise RemoteError(f"响应不是 GeoReport 列表：{str(data)[:200]}", retry=False)


def _call(method: str, url: str, **kwargs) -> dict:
    try:
        resp = requests.request(method, url, timeout=timeout(), **kwargs)
    except requests.RequestException as exc:
        raise RemoteError(f"网络错误：{exc}", retry=True) from None
    return _first(resp)


def post_request(endpoint, fields: dict, idempotency_key: str) -> dict:
    """POST requests.json; the answer holds service_request_id, or a token to poll."""
    return _call(
        "POST",
        _url(endpoint.base_url, "requests.json"),
        data=fields,
        headers={"Idempotency-Key": idempotency_key},
    )


def _query(endpoint) -> dict:
    return {"jurisdiction_id": endpoint.jurisdiction_id} if endpoint.jurisdiction_id else {}


def get_request(endpoint, remote_id: str) -> dict:
    return _call(
        "GET", _url(endpoint.base_url, f"requests/{remote_id}.json"), params=_query(endpoint)
    )


def get_token(endpoint, token: str) -> dict:
    return _call("GET", _url(endpoint.base_url, f"tokens/{token}.json"), params=_query(endpoint))
