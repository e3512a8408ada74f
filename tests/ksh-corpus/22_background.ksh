# An unquoted '&' sends the assignment to the background, where it is lost.
# oracle-skipped: 3:construct_pipeline
URL=http://host/x?a=1&b=2
export URL b
