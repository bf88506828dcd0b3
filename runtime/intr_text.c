/*
 * intr_text.c - the intrinsic functions on strings: States.Format,
 * StringSplit, Base64Encode/Decode, Hash and UUID (see intr.h for the
 * calling convention, intrinsics.c for the sources cited as [docs], [spec]).
 */
#include "intr.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- Format */

/* Append the text of value v: a string as it is, anything else as compact
 * JSON text (2020, true, null, [1,2], {"a":1}). */
static void render(struct rt_sbuf *b, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		rt_sbuf_add(b, v->valuestring, strlen(v->valuestring));
		return;
	}
	char *s = cJSON_PrintUnformatted(v);
	if (!s) {
		b->oom = 1;
		return;
	}
	rt_sbuf_add(b, s, strlen(s));
	cJSON_free(s);
}

/* Occurrences of "{}" in s. */
static int holes_in(const char *s)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, "{}")); p += 2)
		n++;
	return n;
}

/* [docs] "The interpreter returns the string defined in the first argument
 * with each {} replaced by the value of the positionally-corresponding
 * argument"; "There must be as many remaining arguments ... as there are
 * occurrences of {}". A literal format string comes pre-split by aslc (its
 * escaped \{ \} are text); a computed one is split here at every "{}". */
cJSON *rt_intr_format(const struct aslrt_call *c, const cJSON *const *v,
		      struct aslrt_error *err)
{
	const struct aslrt_tmpl *pre = NULL;
	if (c->args[0].kind == ASLRT_ARG_LITERAL && c->args[0].lit->kind == ASLRT_T_ARRAY)
		pre = c->args[0].lit;
	else if (rt_intr_want(c, v, 0, RT_V_STR, err))
		return NULL;
	int holes = pre ? pre->n - 1 : holes_in(v[0]->valuestring);
	if (holes != c->nargs - 1)
		return rt_intr_fail(err, c, "the format string has %d placeholder%s '{}' but %d "
					    "value%s follow%s", holes, holes == 1 ? "" : "s",
				    c->nargs - 1, c->nargs == 2 ? "" : "s",
				    c->nargs == 2 ? "s" : "");
	struct rt_sbuf b = { 0 };
	rt_sbuf_add(&b, "", 0);
	if (pre) {
		for (int i = 0; i < pre->n; i++) {
			rt_sbuf_add(&b, pre->items[i].str, strlen(pre->items[i].str));
			if (i < holes)
				render(&b, v[i + 1]);
		}
	} else {
		const char *s = v[0]->valuestring, *p;
		for (int i = 1; (p = strstr(s, "{}")); i++, s = p + 2) {
			rt_sbuf_add(&b, s, (size_t)(p - s));
			render(&b, v[i]);
		}
		rt_sbuf_add(&b, s, strlen(s));
	}
	cJSON *out = b.oom ? NULL : cJSON_CreateString(b.s);
	rt_free(b.s);
	return out ? out : rt_intr_oom(err);
}

/* -------------------------------------------------------- StringSplit */

/* Bytes of the UTF-8 sequence that starts at s (1 for a stray byte). */
static size_t seq_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* 1 when the n-byte character at s is one of the characters of set. */
static int in_set(const char *s, size_t n, const char *set)
{
	for (const char *d = set; *d; d += seq_len(d))
		if (seq_len(d) == n && memcmp(d, s, n) == 0)
			return 1;
	return 0;
}

/* [docs] splits on "the delimiting character"; with several characters
 * ("This.is+a,test=string" split by ".+,=" gives "This", "is", "a",
 * "test", "string") each of them is a delimiter. Empty pieces are dropped,
 * as a tokenizer does (",,a," gives ["a"]). */
cJSON *rt_intr_string_split(const struct aslrt_call *c, const cJSON *const *v,
			    struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_STR, err) || rt_intr_want(c, v, 1, RT_V_STR, err))
		return NULL;
	const char *s = v[0]->valuestring, *set = v[1]->valuestring, *start = s;
	cJSON *out = cJSON_CreateArray();
	for (;;) {
		size_t n = *s ? seq_len(s) : 0;
		if (out && (!*s || in_set(s, n, set))) {
			if (s > start) {
				size_t len = (size_t)(s - start);
				char *piece = rt_malloc(len + 1);
				cJSON *item = NULL;
				if (piece) {
					memcpy(piece, start, len);
					piece[len] = '\0';
					item = cJSON_CreateString(piece);
					rt_free(piece);
				}
				if (!item || !cJSON_AddItemToArray(out, item)) {
					cJSON_Delete(item);
					cJSON_Delete(out);
					out = NULL;
				}
			}
			start = s + n;
		}
		if (!*s || !out)
			break;
		s += n;
	}
	return out ? out : rt_intr_oom(err);
}

/* ------------------------------------------------------------- Base64 */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Argument 0 as a string of at most RT_INTR_MAX_CHARS characters. */
static const char *short_string(const struct aslrt_call *c, const cJSON *const *v,
				struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_STR, err))
		return NULL;
	long n = rt_utf8_chars(v[0]->valuestring);
	if (n > RT_INTR_MAX_CHARS)
		return rt_intr_fail(err, c, "the input has %ld characters; at most %d are "
					    "allowed", n, RT_INTR_MAX_CHARS);
	return v[0]->valuestring;
}

/* [docs] "encode data based on MIME Base64 encoding scheme": the standard
 * alphabet with '=' padding, on the string's UTF-8 bytes, no line breaks
 * (the documented example has none). */
cJSON *rt_intr_base64_encode(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err)
{
	const unsigned char *s = (const unsigned char *)short_string(c, v, err);
	if (!s)
		return NULL;
	size_t n = strlen((const char *)s);
	char *o = rt_malloc((n + 2) / 3 * 4 + 1), *d = o;
	if (!o)
		return rt_intr_oom(err);
	for (size_t i = 0; i < n; i += 3) {
		unsigned long w = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			w |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			w |= s[i + 2];
		*d++ = b64[w >> 18];
		*d++ = b64[(w >> 12) & 63];
		*d++ = i + 1 < n ? b64[(w >> 6) & 63] : '=';
		*d++ = i + 2 < n ? b64[w & 63] : '=';
	}
	*d = '\0';
	cJSON *out = cJSON_CreateString(o);
	rt_free(o);
	return out ? out : rt_intr_oom(err);
}

/* The value of base64 digit c, or -1. */
static int digit64(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

/* Length of the well-formed UTF-8 character at s (n bytes left), or 0 with
 * *bad the length of its maximal ill-formed prefix (Unicode 3.9, Table
 * 3-7). */
static size_t utf8_char(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need;
	*bad = 1;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	size_t i = 1;
	for (; i < need && i < n; i++) {
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
			break;
	}
	if (i == need)
		return need;
	*bad = i;
	return 0;
}

/* [docs] "decode data based on MIME Base64 decoding scheme", input of up to
 * 10,000 characters. Line breaks are skipped (MIME), padding may be left
 * out; any other character outside the alphabet fails. The bytes are read
 * as UTF-8, an ill-formed sequence becoming U+FFFD; a NUL byte fails (a
 * JSON string here cannot hold one). */
cJSON *rt_intr_base64_decode(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err)
{
	const char *s = short_string(c, v, err);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	unsigned char *bytes = rt_malloc(n / 4 * 3 + 3);
	if (!bytes)
		return rt_intr_oom(err);
	size_t len = 0, digits = 0, pads = 0;
	unsigned long w = 0;
	const char *bad = NULL;
	for (const char *p = s; *p && !bad; p++) {
		int d = digit64(*p);
		if (*p == '\r' || *p == '\n')
			continue;
		if (*p == '=' && digits % 4 >= 2 && pads < 2) {
			pads++;
			continue;
		}
		if (d < 0 || pads) {
			bad = p;
			break;
		}
		w = w << 6 | (unsigned long)d;
		if (++digits % 4 == 0) {
			bytes[len++] = (unsigned char)(w >> 16);
			bytes[len++] = (unsigned char)(w >> 8);
			bytes[len++] = (unsigned char)w;
			w = 0;
		}
	}
	size_t tail = digits % 4;
	if (!bad && (tail == 1 || (pads && pads != 4 - tail))) {
		rt_free(bytes);
		return rt_intr_fail(err, c, "the input is not valid Base64: it ends in the middle "
					    "of a character");
	}
	if (bad) {
		rt_free(bytes);
		return rt_intr_fail(err, c, "the input is not valid Base64: unexpected '%c' at "
					    "offset %ld", *bad, (long)(bad - s));
	}
	if (tail == 2)
		bytes[len++] = (unsigned char)(w >> 4);
	if (tail == 3) {
		bytes[len++] = (unsigned char)(w >> 10);
		bytes[len++] = (unsigned char)(w >> 2);
	}
	if (memchr(bytes, 0, len)) {
		rt_free(bytes);
		return rt_intr_fail(err, c, "the decoded data contains a NUL character");
	}
	struct rt_sbuf b = { 0 };
	rt_sbuf_add(&b, "", 0);
	for (size_t i = 0; i < len;) {
		size_t badlen, k = utf8_char(bytes + i, len - i, &badlen);
		if (k)
			rt_sbuf_add(&b, (const char *)bytes + i, k);
		else
			rt_sbuf_add(&b, "\xef\xbf\xbd", 3);
		i += k ? k : badlen;
	}
	rt_free(bytes);
	cJSON *out = b.oom ? NULL : cJSON_CreateString(b.s);
	rt_free(b.s);
	return out ? out : rt_intr_oom(err);
}

/* --------------------------------------------------------------- Hash */

/* [docs] the hash of the data ("a string containing 10,000 characters or
 * less", as its UTF-8 bytes) with MD5, SHA-1, SHA-256, SHA-384 or SHA-512,
 * in lowercase hex. */
cJSON *rt_intr_hash(const struct aslrt_call *c, const cJSON *const *v,
		    struct aslrt_error *err)
{
	const char *s = short_string(c, v, err);
	if (!s || rt_intr_want(c, v, 1, RT_V_STR, err))
		return NULL;
	int alg = rt_digest_lookup(v[1]->valuestring);
	if (alg < 0)
		return rt_intr_fail(err, c, "unknown hash algorithm '%s': expected MD5, SHA-1, "
					    "SHA-256, SHA-384 or SHA-512", v[1]->valuestring);
	char hex[129];
	if (!rt_digest_hex((enum rt_digest_alg)alg, s, strlen(s), hex))
		return rt_intr_oom(err);
	cJSON *out = cJSON_CreateString(hex);
	return out ? out : rt_intr_oom(err);
}

/* --------------------------------------------------------------- UUID */

/* [docs] "a version 4 universally unique identifier (v4 UUID) generated
 * using random numbers": RFC 4122 section 4.4, from the kernel's CSPRNG. */
cJSON *rt_intr_uuid(const struct aslrt_call *c, const cJSON *const *v,
		    struct aslrt_error *err)
{
	(void)v;
	unsigned char b[16];
	if (rt_random_bytes(b, sizeof b))
		return rt_intr_fail(err, c, "no random source (/dev/urandom) is available");
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	char s[37];
	snprintf(s, sizeof s,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
	cJSON *out = cJSON_CreateString(s);
	return out ? out : rt_intr_oom(err);
}
