# A here-document body is not read as commands.
# oracle-skipped: 4:construct_redirection 8:construct_redirection
export BEFORE_HEREDOC=1
cat > /dev/null <<EOT
fi ) ;; "unbalanced
export INSIDE_HEREDOC=1
EOT
cat > /dev/null <<-'QUOTED'
	done $(not run)
	QUOTED
export AFTER_HEREDOC=1
