/*
 * utf8.c - strict UTF-8 decoding (RFC 3629, section 4's table of well-formed
 * byte sequences).
 */
#include "utf8.h"

#include <string.h>

int asl_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;              /* continuation byte, C0/C1, F5..FF      */
	}
	if (n < (size_t)len)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t asl_utf8_count(const char *s)
{
	size_t count = 0, n = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	while (n > 0) {
		unsigned cp;
		int len = asl_utf8_decode(p, n, &cp);
		if (len == 0)
			len = 1;
		p += len;
		n -= (size_t)len;
		count++;
	}
	return count;
}

char *asl_utf8_put(char *d, unsigned long c)
{
	if (c < 0x80) {
		*d++ = (char)c;
	} else if (c < 0x800) {
		*d++ = (char)(0xc0 | (c >> 6));
		*d++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*d++ = (char)(0xe0 | (c >> 12));
		*d++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*d++ = (char)(0x80 | (c & 0x3f));
	} else {
		*d++ = (char)(0xf0 | (c >> 18));
		*d++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*d++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*d++ = (char)(0x80 | (c & 0x3f));
	}
	return d;
}

long asl_hex4(const char *s, const char *end)
{
	if (end - s < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int ch = (unsigned char)s[i], d;
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}
