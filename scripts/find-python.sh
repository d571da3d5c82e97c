#!/usr/bin/env bash
# Print the path of a working python<VERSION> (on PATH, else under pyenv), or explain and fail.
# pyenv's shim on PATH refuses to run unless pyenv's global version lists it, so each candidate
# is run once to see that it really works.
set -u
version=$1
candidates=("python$version")
if command -v pyenv >/dev/null 2>&1; then
  for dir in "$(pyenv root)"/versions/"$version"*; do
    candidates+=("$dir/bin/python$version")
  done
fi
for dir in /usr/local/bin /usr/bin "$HOME"/.pyenv/versions/"$version"*/bin; do
  candidates+=("$dir/python$version")
done
for candidate in "${candidates[@]}"; do
  if "$candidate" -c 'import venv' >/dev/null 2>&1; then
    command -v "$candidate"
    exit 0
  fi
done
cat >&2 <<MSG
Python $version was not found on PATH or under pyenv.
Install it, for example with \`pyenv install $version\` or your system's python$version
package (with its venv module), then run make again.
MSG
exit 1
