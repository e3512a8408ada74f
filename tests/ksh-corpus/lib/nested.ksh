NESTED=$COMMON_HELPER-seen-from-nested ; export NESTED
