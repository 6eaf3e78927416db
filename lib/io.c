// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: the socket calls of batches (batch.c), on their own so that
 * the unit tests can play the kernel's side.
 */
#define _GNU_SOURCE		/* recvmmsg() */
#include <errno.h>
#include <sys/socket.h>
#include "internal.h"

int rtpp_send(struct rtpp_handle *h, const void *buf, size_t len)
{
	return mnl_socket_sendto(h->nl, buf, len) < 0 ? -errno : 0;
}

int rtpp_recv_many(struct rtpp_handle *h, struct mmsghdr *m, unsigned int n)
{
	int fd = mnl_socket_get_fd(h->nl), got;

	do
		got = recvmmsg(fd, m, n, MSG_WAITFORONE, NULL);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -errno : got;
}
