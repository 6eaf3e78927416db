#!/bin/bash
# manpage.sh: every example of iptrtpproxy(8) runs as written.
#
# The examples are the command blocks (.EX/.EE or .nf/.fi) of
# cli/iptrtpproxy.8: those of CAPABILITIES and of EXAMPLES, in page order.
# They are taken from the roff source (escapes undone, continuation lines
# joined), each line is checked to be what "man -l" shows the reader, and
# they run as written, in one shell (so that "id=$(...)" carries over), in a
# fresh network namespace whose dummy interface has the gate addresses the
# examples name.  Each command must exit 0, and afterwards the namespace has
# the one switchboard of the examples, every session deleted.  Once with
# "iptables" being iptables-legacy, once iptables-nft (a directory first on
# PATH).  The examples run a private copy of the program, first on PATH:
# the file capability one of them sets would otherwise land on the shared
# binary, and a scenario running beside this one that executes it with a
# bounding set lacking CAP_NET_ADMIN would get EPERM from execve.  The
# capability is removed by the next example, and by the cleanup should that
# one not run.
#
# Run as root in the guest: tests/vm/run -- tests/integration/manpage.sh

. "$(dirname "$0")/lib.sh"

need_root
need_module
PAGE=$TOP/cli/iptrtpproxy.8
SHARED=$(command -v iptrtpproxy) || { fail "iptrtpproxy is not on PATH"; finish; }
TMPD=$(mktemp -d /tmp/rtpp-$$-XXXX)
at_cleanup "rm -rf $TMPD"
mkdir "$TMPD/bin"
chmod 755 "$TMPD" "$TMPD/bin"	# an example runs it as nobody
PROG=$TMPD/bin/iptrtpproxy
cp "$SHARED" "$PROG"
PATH=$TMPD/bin:$PATH
at_cleanup "setcap -r $PROG"

# extract: the examples, one a line ("SECTION<tab>command", continuations
# joined); $TMPD/examples.sh runs them as written (the lines verbatim, each
# command followed by its status on fd 3, its output after a "### N" mark);
# $TMPD/lines has every line of them, to find in what man shows.
extract() {
	python3 - "$PAGE" "$TMPD" <<'PY'
import re, sys

ESC = {r"\-": "-", r"\e": "\\", r"\(aq": "'", r"\(dq": '"', r"\(ti": "~",
       r"\(ha": "^", r"\&": ""}

def unescape(line, where):
    out, i = "", 0
    while i < len(line):
        for esc, ch in ESC.items():
            if line.startswith(esc, i):
                out += ch
                i += len(esc)
                break
        else:
            if line[i] == "\\":
                sys.exit("%s: escape %r not understood" % (where, line[i:i + 4]))
            out += line[i]
            i += 1
    return out

section, block, pending = "", False, []
names, script, lines = [], [], []
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    if line.startswith(".SH"):
        section = line[3:].strip().strip('"')
    elif re.match(r"\.(EX|nf)\b", line):
        # Blocks elsewhere (OUTPUT, CALL QUALITY) show output, not commands.
        block = section in ("CAPABILITIES", "EXAMPLES")
    elif re.match(r"\.(EE|fi)\b", line):
        block = False
        if pending:
            sys.exit("line %d: a continuation ends the block" % n)
    elif block and line.startswith("."):
        if not line.startswith('.\\"'):
            sys.exit("line %d: request %r inside an example" % (n, line))
    elif block:
        text = unescape(line, "line %d" % n)
        if text.strip():
            lines.append(text.strip())
        pending.append(text)
        if text.endswith("\\"):
            continue
        cmd, pending = pending, []
        if not "".join(cmd).strip() or cmd[0].lstrip().startswith("#"):
            continue
        i = len(names)
        names.append("%s\t%s" % (section, " ".join(
            l.rstrip("\\").strip() for l in cmd)))
        script += ['echo "### %d"' % i] + cmd + ['echo "%d $?" >&3' % i]
d = sys.argv[2]
open(d + "/examples.sh", "w").write("\n".join(script) + "\n")
open(d + "/lines", "w").write("\n".join(lines) + "\n")
print("\n".join(names))
PY
}

section "the examples of $PAGE"
if ! out=$(extract); then
	fail "extract the examples: $out"
	finish
fi
mapfile -t EXAMPLES <<<"$out"
n_ex=$(grep -c $'^EXAMPLES\t' <<<"$out")
n_cap=$(grep -c $'^CAPABILITIES\t' <<<"$out")
if [ "$n_ex" -ge 10 ] && [ "$n_cap" -ge 3 ]; then
	pass "${#EXAMPLES[@]} commands: $n_cap under CAPABILITIES, $n_ex under EXAMPLES"
else
	fail "too few examples: $n_cap under CAPABILITIES, $n_ex under EXAMPLES"
fi
for want in "capsh " "setcap " "iptrtpproxy info" "iptrtpproxy list" \
	"iptrtpproxy alloc" "iptrtpproxy update" "iptrtpproxy delete"; do
	grep -qF -- "$want" <<<"$out" || fail "no example uses '$want'"
done

# What the reader sees: every example line, as man shows it.
shown=$(MANWIDTH=200 LC_ALL=C.UTF-8 man --no-hyphenation --no-justification -l "$PAGE" 2>&1 |
	col -b | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
missing=0
while IFS= read -r l; do
	if ! grep -qxF -- "$l" <<<"$shown"; then
		fail "man -l does not show the line '$l' as written"
		missing=$((missing + 1))
	fi
done <"$TMPD/lines"
[ "$missing" -gt 0 ] || pass "man -l shows each of the $(wc -l <"$TMPD/lines") lines as written"

# The gate addresses the examples name.
mapfile -t ADDRS < <(grep -oE -- '--addr-[ab][ =][0-9.]+' <<<"$out" | sed 's/^--addr-[ab].//' | sort -u)
info "gate addresses: ${ADDRS[*]}"

script=$TMPD/examples.sh

for IPT in "${IPT_BACKENDS[@]}"; do
	section "$IPT"
	ns_new man
	ip -n "$NS" link add dummy0 type dummy || { fail "add a dummy interface"; continue; }
	for a in "${ADDRS[@]}"; do
		ip -n "$NS" addr add "$a/24" dev dummy0
	done
	ip -n "$NS" link set dummy0 up
	mkdir -p "$TMPD/bin-$IPT"
	printf '#!/bin/sh\nexec %s "$@"\n' "$(command -v "$IPT")" >"$TMPD/bin-$IPT/iptables"
	chmod 755 "$TMPD/bin-$IPT/iptables"

	in_ns "$NS" env PATH="$TMPD/bin-$IPT:$PATH" bash "$script" \
		>"$TMPD/out-$IPT" 2>&1 3>"$TMPD/status-$IPT"
	for i in "${!EXAMPLES[@]}"; do
		cmd=${EXAMPLES[i]#*$'\t'}
		rc=$(awk -v i="$i" '$1 == i { print $2 }' "$TMPD/status-$IPT")
		if [ "$rc" = 0 ]; then
			pass "$cmd"
		else
			fail "$cmd: exit status '${rc:-none}'"
			awk -v i="$i" '$0 == "### " i { on = 1; next } /^### / { on = 0 } on' \
				"$TMPD/out-$IPT" | head -n 10 | sed 's/^/        | /'
		fi
	done
	got=$(in_ns "$NS" iptrtpproxy info --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["sessions"]
print(d["switchboards"], s["learning"] + s["active"] + s["expired"])')
	if [ "$got" = "1 0" ]; then
		pass "afterwards: one switchboard, no live session"
	else
		fail "afterwards: switchboards and live sessions '$got', want '1 0'"
	fi
	ipt_flush "$NS"
	ns_del "$NS"
done
# the example that removes the file capability ran
caps=$(getcap "$PROG")
if [ -z "$caps" ]; then pass "no file capability left on $PROG"; else fail "left: $caps"; fi
caps=$(getcap "$SHARED")
if [ -z "$caps" ]; then pass "the shared $SHARED never got one"; else fail "shared binary got: $caps"; fi

finish
