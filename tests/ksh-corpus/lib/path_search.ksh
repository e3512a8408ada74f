export FOUND_IN_PATH=yes
