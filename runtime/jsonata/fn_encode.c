/*
 * fn_encode.c - $base64encode, $base64decode (over the UTF-8 bytes of the
 * string), and the URL functions with JavaScript's encodeURIComponent,
 * encodeURI, decodeURIComponent and decodeURI rules (ECMA-262 "URI
 * Handling Functions"); malformed input is D3140.
 */
#include "fn.h"

#include <string.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

FN(jn_fn_base64encode)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const unsigned char *p = (const unsigned char *)jnv_str(s)->s;
	size_t n = jnv_str(s)->len;
	struct jbuf b;
	jnbuf_init(&b, k->c);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		char q[4] = { b64[(v >> 18) & 63], b64[(v >> 12) & 63],
			      i + 1 < n ? b64[(v >> 6) & 63] : '=', i + 2 < n ? b64[v & 63] : '=' };
		jnbuf_put(&b, q, 4);
	}
	return jnbuf_value(&b);
}

FN(jn_fn_base64decode)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const char *p = jnv_str(s)->s;
	size_t n = jnv_str(s)->len;
	struct jbuf b;
	jnbuf_init(&b, k->c);
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		const char *x = memchr(b64, p[i], 64);
		if (!x || p[i] == '\0')
			continue;   /* padding and stray characters are skipped */
		acc = (acc << 6) | (unsigned)(x - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			jnbuf_putc(&b, (char)((acc >> bits) & 0xff));
		}
	}
	return jnbuf_value(&b);
}

static int unreserved(unsigned char ch, const char *extra)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       strchr("-_.!~*'()", ch) || (extra && strchr(extra, ch));
}

static struct jval *malformed(struct jn_call *k, struct jval *s, const char *fn)
{
	jn_error_tok(k->c, "D3140", -1, fn, s);
	return JN_ERR;
}

static struct jval *encode(struct jn_call *k, const char *extra, const char *fn)
{
	static const char hex[] = "0123456789ABCDEF";
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const unsigned char *p = (const unsigned char *)jnv_str(s)->s;
	size_t n = jnv_str(s)->len;
	struct jbuf b;
	jnbuf_init(&b, k->c);
	for (size_t i = 0; i < n; i++) {
		if (p[i] && p[i] < 0x80 && unreserved(p[i], extra)) {
			jnbuf_putc(&b, (char)p[i]);
			continue;
		}
		/* a lone surrogate (WTF-8 ED A0..BF ..) cannot be encoded */
		if (p[i] == 0xed && i + 1 < n && (p[i + 1] & 0xe0) == 0xa0)
			return malformed(k, s, fn);
		char q[3] = { '%', hex[p[i] >> 4], hex[p[i] & 15] };
		jnbuf_put(&b, q, 3);
	}
	return jnbuf_value(&b);
}

FN(jn_fn_encode_url_component)
{
	return encode(k, NULL, "encodeUrlComponent");
}

FN(jn_fn_encode_url)
{
	return encode(k, ";,/?:@&=+$#", "encodeUrl");
}

static int hexv(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* decodeURI(Component): %XX escapes must form whole UTF-8 sequences;
 * decodeURI leaves the escapes of reserved characters as they are. */
static struct jval *decode(struct jn_call *k, const char *reserved, const char *fn)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const char *p = jnv_str(s)->s;
	size_t n = jnv_str(s)->len;
	struct jbuf b;
	jnbuf_init(&b, k->c);
	for (size_t i = 0; i < n;) {
		if (p[i] != '%') {
			jnbuf_putc(&b, p[i++]);
			continue;
		}
		if (i + 2 >= n || hexv(p[i + 1]) < 0 || hexv(p[i + 2]) < 0)
			return malformed(k, s, fn);
		unsigned char c0 = (unsigned char)(hexv(p[i + 1]) * 16 + hexv(p[i + 2]));
		if (c0 < 0x80) {
			if (reserved && c0 && strchr(reserved, c0))
				jnbuf_put(&b, p + i, 3);
			else
				jnbuf_putc(&b, (char)c0);
			i += 3;
			continue;
		}
		int len = c0 >= 0xf0 && c0 < 0xf8 ? 4 : c0 >= 0xe0 ? 3 : c0 >= 0xc0 ? 2 : 0;
		if (!len)
			return malformed(k, s, fn);
		unsigned char bytes[4] = { c0, 0, 0, 0 };
		for (int j = 1; j < len; j++) {
			size_t at = i + 3 * (size_t)j;
			if (at + 2 >= n || p[at] != '%' || hexv(p[at + 1]) < 0 || hexv(p[at + 2]) < 0)
				return malformed(k, s, fn);
			bytes[j] = (unsigned char)(hexv(p[at + 1]) * 16 + hexv(p[at + 2]));
			if ((bytes[j] & 0xc0) != 0x80)
				return malformed(k, s, fn);
		}
		jnbuf_put(&b, (const char *)bytes, (size_t)len);
		i += 3 * (size_t)len;
	}
	return jnbuf_value(&b);
}

FN(jn_fn_decode_url_component)
{
	return decode(k, NULL, "decodeUrlComponent");
}

FN(jn_fn_decode_url)
{
	return decode(k, ";/?:@&=+$,#", "decodeUrl");
}
