/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxyd: the rtpproxy control protocol, parsed and answered.
 *
 * Pure C, no I/O: a command line in, a struct rtppd_req out; a reply
 * formatted into a caller's buffer.  The protocol is the one Kamailio's and
 * OpenSIPS's rtpproxy modules speak:
 *
 *   [COOKIE ]CMD[MODIFIERS] ARG...
 *
 * with the cookie on datagram sockets (udp:) and none on stream sockets
 * (unix:); every reply starts with the request's cookie and a space, and
 * ends with a newline.  Commands (arguments in order):
 *
 *   V                          the base protocol version: 20040107
 *   VF DATE                    1 when capability DATE is supported, else 0
 *   U[mods] CALLID ADDR PORT FROMTAG[;N] [TOTAG[;N]]   offer: create/update
 *   L[mods] CALLID ADDR PORT FROMTAG[;N] TOTAG[;N]     answer: look up/update
 *   D[w] CALLID FROMTAG[;N] [TOTAG[;N]]   delete (one media stream with ;N)
 *   Q[v] CALLID FROMTAG[;N] TOTAG[;N] [STAT...]        query
 *   I[b]                       information
 *   X                          delete every session
 *
 * U/L modifiers: A asymmetric client, S symmetric (the default), I and E
 * (the networks of the message's sender and recipient: I gate A, E gate
 * B), W weak (accepted, no effect), Z<ms> and C<codecs> (accepted, no
 * effect: the kernel neither repacketizes nor filters codecs), 6 (IPv6:
 * refused, the relay is IPv4).  Letters are case-insensitive.
 *
 * Errors are "E<code>" with the numbers below (as rtpproxy uses them).
 */
#ifndef RTPPD_PROTO_H
#define RTPPD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTPPD_BASE_VERSION	"20040107"
#define RTPPD_MAX_LINE		2048
#define RTPPD_MAX_COOKIE	128
#define RTPPD_MAX_ID		256	/* call-id and tags, with the NUL */
#define RTPPD_MAX_STATS		8
#define RTPPD_MEDIA_ANY		0xffffffffu	/* tag without ";N" in D and Q */

enum rtppd_ecode {
	RTPPD_E_UNKNOWN		= 0,	/* unknown or unimplemented command */
	RTPPD_E_NARGS		= 1,	/* wrong number of arguments */
	RTPPD_E_MODS		= 2,	/* bad or unsupported modifier */
	RTPPD_E_ADDR		= 5,	/* address: not a numeric IPv4 address */
	RTPPD_E_PORT		= 6,	/* port: not 0..65535 */
	RTPPD_E_TAG		= 7,	/* empty or too long call-id or tag,
					 * bad media number */
	RTPPD_E_DATE		= 8,	/* VF: not a date YYYYMMDD */
	RTPPD_E_STAT		= 9,	/* Q: unknown statistic */
	RTPPD_E_SYNTAX		= 10,	/* empty command, line too long */
	RTPPD_E_INVAL		= 31,	/* well formed, but not possible here */
	RTPPD_E_NOSESS		= 50,	/* no such session */
	RTPPD_E_QUERY		= 62,	/* Q: the kernel could not be asked */
	RTPPD_E_ALLOC		= 71,	/* no session: switchboards full, none,
					 * or the kernel refused */
	RTPPD_E_NOMEM		= 81,
};

enum rtppd_cmd {
	RTPPD_CMD_V, RTPPD_CMD_VF, RTPPD_CMD_U, RTPPD_CMD_L, RTPPD_CMD_D,
	RTPPD_CMD_Q, RTPPD_CMD_I, RTPPD_CMD_X,
};

enum rtppd_net { RTPPD_NET_NONE, RTPPD_NET_I, RTPPD_NET_E };

enum rtppd_stat {
	RTPPD_STAT_TTL,			/* seconds left before expiry */
	RTPPD_STAT_NPKTS_INA,		/* RTP packets from the FROMTAG party */
	RTPPD_STAT_NPKTS_INO,		/* ... from the other party */
	RTPPD_STAT_NRELAYED,		/* RTP packets relayed, both ways */
	RTPPD_STAT_NDROPPED,		/* RTP packets dropped, both ways */
	RTPPD_STAT_COUNT,
};

struct rtppd_req {
	enum rtppd_cmd cmd;
	/* modifiers */
	bool asym, weak, verbose, brief;
	enum rtppd_net from_net, to_net;	/* I/E: sender's, recipient's */
	/* arguments: pointers into the parsed line */
	const char *callid;
	const char *ftag, *ttag;		/* ttag NULL when not given */
	uint32_t fmedia, tmedia;		/* ;N, RTPPD_MEDIA_ANY without */
	uint32_t addr;				/* network order; 0 unknown */
	uint16_t port;				/* 0 unknown */
	uint32_t date;				/* VF */
	unsigned int nstats;			/* Q: named statistics */
	uint8_t stats[RTPPD_MAX_STATS];		/* enum rtppd_stat */
};

/* The statistics' names in Q's request and verbose reply. */
const char *rtppd_stat_name(unsigned int stat);

/*
 * Parses LINE (modified: split into words).  With cookie, the first word is
 * the cookie, stored in *cookie even when the rest is malformed (so that the
 * error reply carries it; NULL when there is no word at all).  Returns 0, or
 * -1 with the error's enum rtppd_ecode in *ecode (E0 is one: 0) and a
 * one-line reason in err.
 */
int rtppd_parse(char *line, bool cookie_first, const char **cookie,
		struct rtppd_req *req, int *ecode, char *err, size_t errlen);

/* 1: capability DATE (VF) is implemented; 0: it is not. */
int rtppd_has_cap(uint32_t date);

/*
 * Replies, into buf (size len), each "[COOKIE ]...\n"; they return the
 * length written, or 0 when buf is too small.  cookie may be NULL.
 */
size_t rtppd_reply_str(char *buf, size_t len, const char *cookie, const char *s);
size_t rtppd_reply_error(char *buf, size_t len, const char *cookie, int ecode);
/* "PORT ADDR" (addr network order); "0" alone when port is 0 */
size_t rtppd_reply_port(char *buf, size_t len, const char *cookie,
			uint16_t port, uint32_t addr);
/* Q: the named statistics (all five, in order, when nstats is 0), plain
 * ("V1 V2 ...") or verbose ("name=V1 name=V2 ...") */
size_t rtppd_reply_query(char *buf, size_t len, const char *cookie,
			 const struct rtppd_req *req,
			 const int64_t values[RTPPD_STAT_COUNT]);

#endif /* RTPPD_PROTO_H */
