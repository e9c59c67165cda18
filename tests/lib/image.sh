# Busybox images without a registry (engines/image-lib.sh builds them; the
# tests and engines/certify share that one builder).
#
#   t_image_archive OUT.tar NAME[:TAG] ['jq filter on the image config']
#     e.g. t_image_archive "$T_TMP/img.tar" mr-busybox '.config.Env += ["A=1"]'
# Needs sha256sum, jq, tar; T_BUSYBOX names the busybox binary.

ENG_BUSYBOX=${T_BUSYBOX:-/bin/busybox}
. "$T_TOP/engines/image-lib.sh"

t_image_archive() { eng_image_archive "$@"; }
