# oracle-skipped: 7:construct_carriage_return
# Written on Windows: every line ends with CR LF.
CR_VALUE=value
export CR_EXPORTED=exported
CR_QUOTED='quoted'
export CR_QUOTED_EXPORTED="quoted"

export CR_LAST=$CR_VALUE   # comment
export CR_NO_COMMENT=x#not-a-comment
