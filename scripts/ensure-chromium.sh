#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests; never skip them silently.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装 Chromium（浏览器测试需要）/ installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "缺少 Chromium：请以 root 运行 'apt-get install chromium'，或设置 CHROMIUM_PATH。" >&2
echo "Chromium is missing: install Debian's chromium (as root: apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
