export SOURCED=with-source
