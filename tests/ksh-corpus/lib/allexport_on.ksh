# Leaves set -a on for the file that includes it.
set -a
