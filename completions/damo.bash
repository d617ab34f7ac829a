# SPDX-License-Identifier: GPL-2.0
# bash completion for damo.  Every word comes from the binary itself:
#   damo --list-cmds            the commands
#   damo --list-opts            the common options
#   damo CMD [SUB] --list-opts  a command's long options; lines without a
#                               leading "--" are its subcommands (config,
#                               module, report, schemes)
#   damo CMD [SUB] --help       the first line, "Usage: ... [OPTION...] ARGS",
#                               with the lines it wraps onto, names the
#                               positional arguments: "a|b|c"
#                               words are offered, FILE, CONFIG and TARGET
#                               mean file names, ID the ids of what runs
#   damo CMD [SUB] --complete=OPT=CUR
#                               the values of option OPT (actions, ops,
#                               styles, backends, sources, formats, record
#                               files after --input, "@files"), and with
#                               OPT "ID" the ids (and names) of the running monitors
# and "damo help" takes a command name.  The binary is ${DAMO:-damo}.
#
# _damo_candidates WORDS... prints the candidates for the last word, one a
# line; WORDS are the words of the command line from "damo" up to the word
# being completed (possibly empty).  A line "@files" asks for file names.
# The zsh completion (_damo) implements the same contract.

# The output of "$DAMO ARGS...", or nothing if it fails.
_damo_ask()
{
	"${DAMO:-damo}" "$@" 2>/dev/null
}

# Positional words for argument number $1 of "damo WORDS..." (the rest of
# the arguments), from the usage line of its --help.
_damo_positional()
{
	local n=$1 usage tok rep line i=0
	local -a toks words
	shift
	# The first line, and the lines argp wrapped it onto (indented, but not
	# another form's "or:")
	while IFS= read -r line; do
		if [[ -z $usage ]]; then
			usage=$line
		elif [[ $line =~ ^[[:space:]]+[^[:space:]] && ! $line =~ ^[[:space:]]+or: ]]; then
			usage+=" $line"
		else
			break
		fi
	done < <(_damo_ask "$@" --help)
	[[ $usage == Usage:* ]] || return 0
	read -ra toks <<<"${usage#*"[OPTION...]"}"
	for tok in "${toks[@]}"; do
		[[ $tok == "|" ]] && continue
		rep=
		[[ $tok == *... ]] && rep=1
		tok=${tok#[}
		tok=${tok%...}
		tok=${tok%]}
		tok=${tok%...}
		if ((i == n)) || { [[ $rep ]] && ((n > i)); }; then
			if [[ $tok == *\|* ]]; then
				IFS='|' read -ra words <<<"$tok"
				printf '%s\n' "${words[@]}"
			elif [[ $tok == *FILE* || $tok == CONFIG || $tok == TARGET ]]; then
				printf '@files\n'
			elif [[ $tok == ID ]]; then
				_damo_ask "$@" --complete=ID
			fi
			return 0
		fi
		i=$((i + 1))
	done
}

# The argument of option $1 of "damo WORDS..." as its --help names it:
# "auto|kernel|embedded" for "--backend=auto|kernel|embedded", "FILE", or
# "MIN MAX" for an option taking several words; nothing for an option that
# takes none.
_damo_optarg()
{
	local opt=$1 arg
	shift
	arg=$(_damo_ask "$@" --help | sed -n "s/^.*[ ,]$opt=//p" | head -n 1)
	printf '%s\n' "${arg%%  *}"
}

_damo_candidates()
{
	local -a words=("$@") path=() subs=()
	local n=$# cur cmd='' sub='' w i nargs=0 opts line arg prev=''

	(($#)) || return 0
	cur=${words[n - 1]}
	for ((i = 1; i < n - 1; i++)); do
		w=${words[i]}
		# the one word an option takes is not an argument of the command
		if [[ -n $cmd && $w == --* && $w != *=* ]]; then
			arg=$(_damo_optarg "$w" "$cmd" ${sub:+"$sub"})
			if [[ -n $arg ]] && ((i + 1 == n - 1)); then
				# the word being completed is this option's value
				prev=$w
			elif [[ -n $arg && $arg != *[' ['.]* ]]; then
				i=$((i + 1))
			fi
			continue
		fi
		[[ $w == -* ]] && continue
		if [[ -z $cmd ]]; then
			cmd=$w
			opts=$(_damo_ask "$cmd" --list-opts)
			subs=()
			while IFS= read -r line; do
				[[ -n $line && $line != -* ]] && subs+=("$line")
			done <<<"$opts"
		elif ((${#subs[@]})) && [[ -z $sub ]]; then
			sub=$w
		else
			nargs=$((nargs + 1))
		fi
	done

	{
		if [[ -n $prev && $cur != -* ]]; then
			# the value of the option before, as the binary knows it
			_damo_ask "$cmd" ${sub:+"$sub"} --complete="$prev=$cur"
		elif [[ -z $cmd ]]; then
			if [[ $cur == -* ]]; then
				_damo_ask --list-opts
			else
				_damo_ask --list-cmds
			fi
		elif ((${#subs[@]})) && [[ -z $sub ]]; then
			# The subcommand, or a common option before it.
			if [[ $cur == -* ]]; then
				_damo_ask --list-opts
			else
				printf '%s\n' "${subs[@]}"
			fi
		else
			path=("$cmd")
			[[ $sub ]] && path+=("$sub")
			if [[ $cur == -* ]]; then
				_damo_ask "${path[@]}" --list-opts | grep -e '^--'
				_damo_ask --list-opts
			elif [[ $cmd == help ]]; then
				((nargs == 0)) && _damo_ask --list-cmds
			else
				_damo_positional "$nargs" "${path[@]}"
			fi
		fi
	} | while IFS= read -r line; do
		[[ -n $line ]] || continue
		[[ $line == @files || $line == "$cur"* ]] && printf '%s\n' "$line"
	done
	return 0
}

_damo()
{
	local cur words cword line files=0
	local -a cands=()

	if declare -F _get_comp_words_by_ref >/dev/null; then
		_get_comp_words_by_ref -n =: cur words cword
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}
	fi
	while IFS= read -r line; do
		if [[ $line == @files ]]; then
			files=1
		elif [[ -n $line ]]; then
			cands+=("$line")
		fi
	done < <(_damo_candidates "${words[@]:0:cword}" "$cur")
	COMPREPLY=("${cands[@]}")
	if ((files)); then
		if declare -F _filedir >/dev/null; then
			_filedir
		else
			compopt -o filenames 2>/dev/null
			while IFS= read -r line; do
				COMPREPLY+=("$line")
			done < <(compgen -f -- "$cur")
		fi
	fi
}

complete -F _damo damo
