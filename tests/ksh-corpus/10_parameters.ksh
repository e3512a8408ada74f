# Parameter expansion forms that are evaluated.
export P1=${UNSET_VAR:-fallback}
export P2=${UNSET_VAR-fallback}
export P3=${EMPTY_VAR:-fallback}
export P4=${EMPTY_VAR-fallback}
export P5=${TOM_ADMIN:-fallback}
export P6=${TOM_ADMIN:+alternate}
export P7=${EMPTY_VAR:+alternate}
export P8=${EMPTY_VAR+alternate}
export P9=${UNSET_VAR+alternate}
export P10=${D1:=assigned-default} D1
export P11=${EMPTY_VAR=not-assigned}
export P12=${UNSET_VAR:-${TOM_ADMIN:-x}/sub}
export P13="${UNSET_VAR:-"quoted fallback"}"
export P14=${UNSET_VAR:-'single $quoted'}
export P15="${UNSET_VAR:-'literal quotes'}"
export P16=${UNSET_VAR:-a\}b}
export P17="${UNSET_VAR:-$TOM_ADMIN}"
export P18=${UNSET_VAR:-two  spaces}
export P19=$TOM_ADMIN$TOM_ADMIN${TOM_ADMIN}_suffix
export P20=$TOM_ADMIN_suffix
export P21=${SPACED}
U=${U:-default-u}
export U
