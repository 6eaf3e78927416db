// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxyd: the rtpproxy control protocol, parsed and answered (see
 * proto.h).  No I/O here: the unit tests drive every path.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define MAX_WORDS	16

static const char *const stat_names[RTPPD_STAT_COUNT] = {
	[RTPPD_STAT_TTL]	= "ttl",
	[RTPPD_STAT_NPKTS_INA]	= "npkts_ina",
	[RTPPD_STAT_NPKTS_INO]	= "npkts_ino",
	[RTPPD_STAT_NRELAYED]	= "nrelayed",
	[RTPPD_STAT_NDROPPED]	= "ndropped",
};

/* Capabilities answered 1 to VF: only what is implemented. */
static const uint32_t caps[] = {
	20040107,	/* the base protocol */
	20050322,	/* several media streams per call (tag;N) */
	20060704,	/* VF itself */
	20080403,	/* Q: statistics */
};

const char *rtppd_stat_name(unsigned int stat)
{
	return stat < RTPPD_STAT_COUNT ? stat_names[stat] : "?";
}

int rtppd_has_cap(uint32_t date)
{
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (caps[i] == date)
			return 1;
	return 0;
}

/*
 * Inside the parser an error is code + 1, never 0 (E0 is an error too), so
 * that "a ?: b" chains go on only on success; rtppd_parse() undoes it.
 */
static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code + 1;
}

/* Splits line into words at blanks; the line ends at CR or LF. */
static int split(char *line, char **w)
{
	int n = 0;
	char *p = line;

	p[strcspn(p, "\r\n")] = '\0';
	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == MAX_WORDS)
			return -1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static int parse_id(const char *what, const char *s, char *err, size_t errlen)
{
	if (!*s || strlen(s) >= RTPPD_MAX_ID)
		return fail(err, errlen, RTPPD_E_TAG, "%s: empty or longer than %d bytes",
			    what, RTPPD_MAX_ID - 1);
	return 0;
}

/* "TAG" or "TAG;N" (N 0..65535): the ';' is cut off in place. */
static int parse_tag(const char *what, char *s, const char **tag, uint32_t *media,
		     char *err, size_t errlen)
{
	char *semi = strchr(s, ';'), *end;
	unsigned long n;

	*media = RTPPD_MEDIA_ANY;
	if (semi) {
		*semi = '\0';
		if (!isdigit((unsigned char)semi[1]))
			return fail(err, errlen, RTPPD_E_TAG, "%s: bad media number '%s'",
				    what, semi + 1);
		n = strtoul(semi + 1, &end, 10);
		if (*end || n > 65535)
			return fail(err, errlen, RTPPD_E_TAG, "%s: bad media number '%s'",
				    what, semi + 1);
		*media = n;
	}
	*tag = s;
	return parse_id(what, s, err, errlen);
}

static int parse_addr(const char *s, uint32_t *addr, char *err, size_t errlen)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return fail(err, errlen, RTPPD_E_ADDR, "address '%s': not an IPv4 address", s);
	*addr = in.s_addr;
	return 0;
}

static int parse_port(const char *s, uint16_t *port, char *err, size_t errlen)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return fail(err, errlen, RTPPD_E_PORT, "port '%s': not a number", s);
	n = strtoul(s, &end, 10);
	if (*end || n > 65535 || strlen(s) > 5)
		return fail(err, errlen, RTPPD_E_PORT, "port '%s': not 0..65535", s);
	*port = n;
	return 0;
}

/* U and L modifiers. */
static int parse_ul_mods(const char *m, struct rtppd_req *req, char *err, size_t errlen)
{
	int nets = 0;

	for (; *m; m++) {
		switch (toupper((unsigned char)*m)) {
		case 'A':
			req->asym = true;
			break;
		case 'S':
			req->asym = false;
			break;
		case 'W':
			req->weak = true;
			break;
		case 'I':
		case 'E':
			if (nets == 2)
				return fail(err, errlen, RTPPD_E_MODS,
					    "more than two of the modifiers I and E");
			*(nets++ ? &req->to_net : &req->from_net) =
				toupper((unsigned char)*m) == 'I' ? RTPPD_NET_I : RTPPD_NET_E;
			break;
		case 'Z':	/* repacketization: Z<ms> */
			if (!isdigit((unsigned char)m[1]))
				return fail(err, errlen, RTPPD_E_MODS,
					    "modifier Z without a number");
			while (isdigit((unsigned char)m[1]))
				m++;
			break;
		case 'C':	/* codecs: C<pt>[,<pt>...] */
			if (!isdigit((unsigned char)m[1]))
				return fail(err, errlen, RTPPD_E_MODS,
					    "modifier C without codecs");
			while (isdigit((unsigned char)m[1]) || m[1] == ',')
				m++;
			break;
		case '6':
			return fail(err, errlen, RTPPD_E_INVAL,
				    "modifier 6: IPv6 is not supported (the relay is IPv4)");
		default:
			return fail(err, errlen, RTPPD_E_MODS, "unknown modifier '%c'", *m);
		}
	}
	if (nets == 1)
		return fail(err, errlen, RTPPD_E_MODS,
			    "modifier %c alone: I and E come in pairs (sender, recipient)",
			    req->from_net == RTPPD_NET_I ? 'I' : 'E');
	return 0;
}

/* Modifiers of other commands: only those in allowed (upper case). */
static int parse_simple_mods(const char *m, const char *allowed, struct rtppd_req *req,
			     char *err, size_t errlen)
{
	for (; *m; m++) {
		int c = toupper((unsigned char)*m);

		if (!strchr(allowed, c) || !c)
			return fail(err, errlen, RTPPD_E_MODS, "unknown modifier '%c'", *m);
		if (c == 'W')
			req->weak = true;
		else if (c == 'V')
			req->verbose = true;
		else if (c == 'B')
			req->brief = true;
	}
	return 0;
}

static int nargs(int n, int lo, int hi, const char *cmd, char *err, size_t errlen)
{
	if (n >= lo && n <= hi)
		return 0;
	if (lo == hi)
		return fail(err, errlen, RTPPD_E_NARGS, "%s takes %d arguments, not %d",
			    cmd, lo, n);
	return fail(err, errlen, RTPPD_E_NARGS, "%s takes %d to %d arguments, not %d",
		    cmd, lo, hi, n);
}

static int parse_ul(char **a, int n, struct rtppd_req *req, char *err, size_t errlen)
{
	bool u = req->cmd == RTPPD_CMD_U;
	int rc;

	if (n == 7)
		return fail(err, errlen, RTPPD_E_INVAL,
			    "%s with a notification socket: timeout notifications "
			    "are not supported", u ? "U" : "L");
	if ((rc = nargs(n, u ? 4 : 5, 5, u ? "U" : "L", err, errlen)) ||
	    (rc = parse_id("call-id", a[0], err, errlen)) ||
	    (rc = parse_addr(a[1], &req->addr, err, errlen)) ||
	    (rc = parse_port(a[2], &req->port, err, errlen)) ||
	    (rc = parse_tag("from tag", a[3], &req->ftag, &req->fmedia, err, errlen)))
		return rc;
	req->callid = a[0];
	if (n == 5 && (rc = parse_tag("to tag", a[4], &req->ttag, &req->tmedia, err, errlen)))
		return rc;
	if (n == 5 && req->fmedia != req->tmedia)
		return fail(err, errlen, RTPPD_E_TAG,
			    "the tags name different media streams");
	if (!req->addr || !req->port)	/* on hold, or not said: learn it */
		req->addr = 0, req->port = 0;
	return 0;
}

static int parse_dq(char **a, int n, struct rtppd_req *req, char *err, size_t errlen)
{
	bool q = req->cmd == RTPPD_CMD_Q;
	int rc, i, s;

	if ((rc = nargs(n, q ? 3 : 2, q ? 3 + RTPPD_MAX_STATS : 3, q ? "Q" : "D",
			err, errlen)) ||
	    (rc = parse_id("call-id", a[0], err, errlen)) ||
	    (rc = parse_tag("from tag", a[1], &req->ftag, &req->fmedia, err, errlen)))
		return rc;
	req->callid = a[0];
	if (n >= 3 && (rc = parse_tag("to tag", a[2], &req->ttag, &req->tmedia, err, errlen)))
		return rc;
	for (i = 3; i < n; i++) {
		for (s = 0; s < RTPPD_STAT_COUNT; s++)
			if (!strcmp(a[i], stat_names[s]))
				break;
		if (s == RTPPD_STAT_COUNT)
			return fail(err, errlen, RTPPD_E_STAT, "unknown statistic '%s'", a[i]);
		req->stats[req->nstats++] = s;
	}
	return 0;
}

static int parse_date(const char *s, uint32_t *date, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			break;
	if (i != 8 || s[8])
		return fail(err, errlen, RTPPD_E_DATE, "VF: '%s' is not a date YYYYMMDD", s);
	*date = strtoul(s, NULL, 10);
	return 0;
}

static int parse(char *line, bool cookie_first, const char **cookie,
		 struct rtppd_req *req, char *err, size_t errlen)
{
	char *w[MAX_WORDS], **a, *mods;
	int n, rc;

	memset(req, 0, sizeof(*req));
	req->fmedia = req->tmedia = RTPPD_MEDIA_ANY;
	*cookie = NULL;
	err[0] = '\0';
	if (strlen(line) >= RTPPD_MAX_LINE)
		return fail(err, errlen, RTPPD_E_SYNTAX, "command longer than %d bytes",
			    RTPPD_MAX_LINE - 1);
	n = split(line, w);
	if (n < 0) {
		if (cookie_first && strlen(w[0]) < RTPPD_MAX_COOKIE)
			*cookie = w[0];
		return fail(err, errlen, RTPPD_E_NARGS, "more than %d words", MAX_WORDS);
	}
	a = w;
	if (cookie_first) {
		if (n == 0)
			return fail(err, errlen, RTPPD_E_SYNTAX, "empty command");
		if (strlen(w[0]) >= RTPPD_MAX_COOKIE)
			return fail(err, errlen, RTPPD_E_SYNTAX, "cookie longer than %d bytes",
				    RTPPD_MAX_COOKIE - 1);
		*cookie = w[0];
		a++;
		n--;
	}
	if (n == 0)
		return fail(err, errlen, RTPPD_E_SYNTAX, "empty command");
	mods = a[0] + 1;
	switch (toupper((unsigned char)a[0][0])) {
	case 'V':
		if (toupper((unsigned char)*mods) == 'F' && !mods[1]) {
			req->cmd = RTPPD_CMD_VF;
			return nargs(n - 1, 1, 1, "VF", err, errlen) ?:
				parse_date(a[1], &req->date, err, errlen);
		}
		if (*mods)
			return fail(err, errlen, RTPPD_E_MODS, "unknown modifier '%c'", *mods);
		req->cmd = RTPPD_CMD_V;
		return nargs(n - 1, 0, 0, "V", err, errlen);
	case 'U':
	case 'L':
		req->cmd = toupper((unsigned char)a[0][0]) == 'U' ? RTPPD_CMD_U : RTPPD_CMD_L;
		return parse_ul_mods(mods, req, err, errlen) ?:
			parse_ul(a + 1, n - 1, req, err, errlen);
	case 'D':
		req->cmd = RTPPD_CMD_D;
		return parse_simple_mods(mods, "W", req, err, errlen) ?:
			parse_dq(a + 1, n - 1, req, err, errlen);
	case 'Q':
		req->cmd = RTPPD_CMD_Q;
		return parse_simple_mods(mods, "V", req, err, errlen) ?:
			parse_dq(a + 1, n - 1, req, err, errlen);
	case 'I':
		req->cmd = RTPPD_CMD_I;
		return parse_simple_mods(mods, "B", req, err, errlen) ?:
			nargs(n - 1, 0, 0, "I", err, errlen);
	case 'X':
		req->cmd = RTPPD_CMD_X;
		rc = parse_simple_mods(mods, "", req, err, errlen);
		return rc ?: nargs(n - 1, 0, 0, "X", err, errlen);
	default:
		return fail(err, errlen, RTPPD_E_UNKNOWN, "command '%c' is not implemented",
			    a[0][0]);
	}
}

int rtppd_parse(char *line, bool cookie_first, const char **cookie,
		struct rtppd_req *req, int *ecode, char *err, size_t errlen)
{
	int rc = parse(line, cookie_first, cookie, req, err, errlen);

	*ecode = rc ? rc - 1 : -1;
	return rc ? -1 : 0;
}

/* ---- replies -------------------------------------------------------------- */

static size_t reply(char *buf, size_t len, const char *cookie, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;
	int r;

	if (cookie) {
		r = snprintf(buf, len, "%s ", cookie);
		if (r < 0 || (size_t)r >= len)
			return 0;
		n = r;
	}
	va_start(ap, fmt);
	r = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r + 1 >= len - n)	/* room for the newline */
		return 0;
	n += r;
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

size_t rtppd_reply_str(char *buf, size_t len, const char *cookie, const char *s)
{
	return reply(buf, len, cookie, "%s", s);
}

size_t rtppd_reply_error(char *buf, size_t len, const char *cookie, int ecode)
{
	return reply(buf, len, cookie, "E%d", ecode);
}

size_t rtppd_reply_port(char *buf, size_t len, const char *cookie,
			uint16_t port, uint32_t addr)
{
	char a[INET_ADDRSTRLEN];
	struct in_addr in = { addr };

	if (!port)
		return reply(buf, len, cookie, "0");
	inet_ntop(AF_INET, &in, a, sizeof(a));
	return reply(buf, len, cookie, "%u %s", port, a);
}

size_t rtppd_reply_query(char *buf, size_t len, const char *cookie,
			 const struct rtppd_req *req,
			 const int64_t values[RTPPD_STAT_COUNT])
{
	char line[512];
	size_t n = 0;
	unsigned int i, count = req->nstats ? req->nstats : RTPPD_STAT_COUNT;

	line[0] = '\0';
	for (i = 0; i < count; i++) {
		unsigned int s = req->nstats ? req->stats[i] : i;
		int r = snprintf(line + n, sizeof(line) - n, "%s%s%s%lld",
				 i ? " " : "", req->verbose ? stat_names[s] : "",
				 req->verbose ? "=" : "", (long long)values[s]);

		if (r < 0 || (size_t)r >= sizeof(line) - n)
			return 0;
		n += r;
	}
	return reply(buf, len, cookie, "%s", line);
}
