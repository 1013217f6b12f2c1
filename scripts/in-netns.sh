#!/usr/bin/env bash
# Runs a command in a network namespace of its own: loopback up and a veth pair with private
# addresses (10.99.0.1/24, 10.99.0.2/24) that exist only inside it. WebRTC tests run here, so
# no ICE candidate pair can use the machine's real addresses and nothing leaves the namespace.
# Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN), as CI has. Install and build before: there is no way out.
set -euo pipefail
if [ "$#" -eq 0 ]; then echo "usage: $0 command [args…]" >&2; exit 2; fi
exec unshare --net -- bash -euo pipefail -c '
  ip link set lo up
  ip link add v0 type veth peer name v1
  ip addr add 10.99.0.1/24 dev v0
  ip addr add 10.99.0.2/24 dev v1
  ip link set v0 up
  ip link set v1 up
  export PARLEY_NETNS=1
  exec "$@"
' in-netns "$@"
