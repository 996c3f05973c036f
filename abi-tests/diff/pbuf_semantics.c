/*
 * Differential test of the pbuf API (lwip/pbuf.h): allocation at every layer and type,
 * header room, reference counts and chain walking, custom pbufs, copies, take, search,
 * checksum-on-copy, and bad arguments that lwIP answers without asserting.
 *
 * Prints lengths, values and return codes only (never pointers), so the output of real
 * lwIP and smolwip can be compared line by line. PBUF_POOL chains are described only by
 * facts that do not depend on the pool buffer size (tot_len, contents, small sizes).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lwip/pbuf.h"

static void dump(const char *what, const struct pbuf *p)
{
    printf("%s: clen=%u", what, (unsigned)pbuf_clen(p));
    for (const struct pbuf *q = p; q != NULL; q = q->next) {
        printf(" [len=%u tot=%u ref=%u type=0x%02x flags=0x%02x]", (unsigned)q->len, (unsigned)q->tot_len,
               (unsigned)q->ref, (unsigned)q->type_internal, (unsigned)q->flags);
    }
    printf("\n");
}

/* Packet bytes, printable as they are, others as \xNN. */
static void contents(const char *what, const struct pbuf *p)
{
    static unsigned char buf[70000];
    u16_t n = pbuf_copy_partial(p, buf, p->tot_len, 0);
    printf("%s: %u bytes \"", what, (unsigned)n);
    for (u16_t i = 0; i < n && i < 80; i++) {
        if (buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"' && buf[i] != '\\') {
            putchar(buf[i]);
        } else {
            printf("\\x%02x", buf[i]);
        }
    }
    printf("%s\"\n", n > 80 ? "..." : "");
}

/* A chain of PBUF_RAM pbufs holding the NUL-separated parts. */
static struct pbuf *chain_of(const char *a, const char *b, const char *c)
{
    const char *parts[] = {a, b, c};
    struct pbuf *head = NULL;
    for (int i = 0; i < 3 && parts[i] != NULL; i++) {
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)strlen(parts[i]), PBUF_RAM);
        pbuf_take(p, parts[i], (u16_t)strlen(parts[i]));
        if (head == NULL) {
            head = p;
        } else {
            pbuf_cat(head, p);
        }
    }
    return head;
}

/* How many header bytes can be revealed in front of the payload (probed, then restored). */
static unsigned header_room(struct pbuf *p)
{
    unsigned room = 0;
    while (room < 300 && pbuf_add_header(p, room + 1) == 0) {
        pbuf_remove_header(p, room + 1);
        room++;
    }
    return room;
}

static void test_alloc_layers(void)
{
    static const struct { const char *name; pbuf_layer layer; } layers[] = {
        {"TRANSPORT", PBUF_TRANSPORT}, {"IP", PBUF_IP}, {"LINK", PBUF_LINK},
        {"RAW_TX", PBUF_RAW_TX}, {"RAW", PBUF_RAW},
    };
    static const struct { const char *name; pbuf_type type; } types[] = {
        {"RAM", PBUF_RAM}, {"POOL", PBUF_POOL}, {"ROM", PBUF_ROM}, {"REF", PBUF_REF},
    };
    for (unsigned t = 0; t < sizeof types / sizeof types[0]; t++) {
        for (unsigned l = 0; l < sizeof layers / sizeof layers[0]; l++) {
            struct pbuf *p = pbuf_alloc(layers[l].layer, 100, types[t].type);
            char what[64];
            snprintf(what, sizeof what, "alloc %s %s 100", types[t].name, layers[l].name);
            dump(what, p);
            printf("  next=%s payload=%s if_idx=%u room=%u aligned=%d\n", p->next ? "set" : "NULL",
                   p->payload ? "set" : "NULL", (unsigned)p->if_idx,
                   p->payload ? header_room(p) : 0,
                   (int)(((uintptr_t)p->payload % MEM_ALIGNMENT) == 0));
            printf("  free=%u\n", (unsigned)pbuf_free(p));
        }
    }

    struct pbuf *p = pbuf_alloc(PBUF_RAW, 0, PBUF_RAM);
    dump("alloc RAM 0", p);
    pbuf_free(p);
    p = pbuf_alloc(PBUF_RAW, 0xFFFF, PBUF_RAM);
    dump("alloc RAM 65535", p);
    printf("  add_header overflowing tot_len=%u\n", (unsigned)pbuf_add_header(p, 1));
    pbuf_free(p);
    p = pbuf_alloc(PBUF_TRANSPORT, 0, PBUF_POOL);
    dump("alloc POOL 0", p);
    pbuf_free(p);
}

static void test_pool_chains(void)
{
    /* Chain shape only: Debian's liblwip sizes pool pbufs for TCP_MSS 1460 in pbuf.c but
     * allocates them for glibc's TCP_MSS 512 in memp.c, so large pool pbufs must not be
     * written to on real lwIP. */
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 3000, PBUF_POOL);
    unsigned sum = 0, consistent = 1;
    for (struct pbuf *q = p; q != NULL; q = q->next) {
        sum += q->len;
        consistent &= q->type_internal == (u8_t)PBUF_POOL && q->ref == 1 && q->flags == 0;
        consistent &= q->tot_len == q->len + (q->next ? q->next->tot_len : 0);
    }
    printf("pool 3000: tot_len=%u sum_len=%u consistent=%u\n", (unsigned)p->tot_len, sum, consistent);
    printf("  free=%u\n", (unsigned)pbuf_free(p));

    static unsigned char data[500];
    for (unsigned i = 0; i < sizeof data; i++) {
        data[i] = (unsigned char)(i * 7 + i / 256 * 13 + 3);
    }
    p = pbuf_alloc(PBUF_RAW, sizeof data, PBUF_POOL);
    dump("pool 500", p);
    printf("  take=%d\n", (int)pbuf_take(p, data, sizeof data));
    static unsigned char back[500];
    u16_t copied = pbuf_copy_partial(p, back, sizeof back, 0);
    printf("  copy_partial=%u same=%d\n", (unsigned)copied, memcmp(back, data, sizeof data) == 0);
    printf("  get_at(499)=%u memcmp(100,+300)=%u memfind=%u\n", (unsigned)pbuf_get_at(p, 499),
           (unsigned)pbuf_memcmp(p, 100, data + 100, 300), (unsigned)pbuf_memfind(p, data + 300, 100, 0));
    pbuf_realloc(p, 234);
    dump("  realloc 234", p);
    struct pbuf *c = pbuf_coalesce(p, PBUF_RAW);
    printf("  coalesce same=%d\n", c == p);
    struct pbuf *q = pbuf_alloc(PBUF_RAW, 100, PBUF_POOL);
    pbuf_take(q, data + 234, 100);
    pbuf_cat(p, q);
    dump("  two pool pbufs", p);
    c = pbuf_coalesce(p, PBUF_RAW);
    dump("  coalesced", c);
    printf("  same=%d\n", memcmp(c->payload, data, 334) == 0);
    printf("  free=%u\n", (unsigned)pbuf_free(c));
}

static void test_reference(void)
{
    static const char rom[] = "0123456789";
    struct pbuf *p = pbuf_alloc_reference((void *)(rom + 4), 6, PBUF_ROM);
    dump("reference ROM", p);
    contents("  data", p);
    printf("  add_header=%u", (unsigned)pbuf_add_header(p, 4));
    printf(" add_header_force=%u\n", (unsigned)pbuf_add_header_force(p, 4));
    contents("  forced", p);
    printf("  header(-8)=%u", (unsigned)pbuf_header(p, -8));
    printf(" header(2)=%u", (unsigned)pbuf_header(p, 2));
    printf(" header_force(2)=%u\n", (unsigned)pbuf_header_force(p, 2));
    contents("  now", p);
    pbuf_free(p);

    char ram[8] = "abcdefg";
    p = pbuf_alloc_reference(ram, 7, PBUF_REF);
    dump("reference REF", p);
    pbuf_put_at(p, 0, 'A');
    printf("  put_at -> %c, ram[0]=%c\n", pbuf_get_at(p, 0), ram[0]);
    pbuf_free(p);
}

struct my_custom {
    struct pbuf_custom pc;
    int id;
    unsigned char mem[128];
};

static void my_custom_free(struct pbuf *p)
{
    struct my_custom *c = (struct my_custom *)p;
    printf("  custom_free id=%d ref=%u\n", c->id, (unsigned)p->ref);
}

static void test_custom(void)
{
    static struct my_custom a = {.id = 1}, b = {.id = 2};
    a.pc.custom_free_function = my_custom_free;
    b.pc.custom_free_function = my_custom_free;

    struct pbuf *p = pbuf_alloced_custom(PBUF_TRANSPORT, 60, PBUF_RAM, &a.pc, a.mem, 100);
    printf("custom too small: %s\n", p ? "pbuf" : "NULL");
    p = pbuf_alloced_custom(PBUF_TRANSPORT, 48, PBUF_RAM, &a.pc, a.mem, 128);
    printf("custom RAM: is_own_struct=%d payload_offset=%d\n", p == &a.pc.pbuf,
           (int)((unsigned char *)p->payload - a.mem));
    dump("  custom", p);
    printf("  take=%d\n", (int)pbuf_take(p, "custom payload", 14));
    pbuf_realloc(p, 14);
    dump("  realloc 14", p);
    struct pbuf *q = pbuf_alloced_custom(PBUF_RAW, 0, PBUF_REF, &b.pc, NULL, 0);
    printf("custom REF no memory: payload=%s add_header=%u\n", q->payload ? "set" : "NULL",
           (unsigned)pbuf_add_header(q, 1));
    pbuf_ref(p);
    printf("  free(ref 2)=%u\n", (unsigned)pbuf_free(p));

    struct pbuf *head = chain_of("head", NULL, NULL);
    pbuf_cat(head, p);
    pbuf_cat(head, q);
    pbuf_cat(head, chain_of("tail", NULL, NULL));
    dump("chain with customs", head);
    contents("  data", head);
    printf("  free=%u\n", (unsigned)pbuf_free(head));
}

static void test_refcounts(void)
{
    /* lwIP's documented examples: counts of a->b->c before pbuf_free(a). */
    static const unsigned cases[][3] = {{1, 2, 3}, {3, 3, 3}, {1, 1, 2}, {2, 1, 1}, {1, 1, 1}};
    for (unsigned i = 0; i < 5; i++) {
        struct pbuf *a = chain_of("a", "b", "c");
        struct pbuf *seg[3] = {a, a->next, a->next->next};
        for (unsigned s = 0; s < 3; s++) {
            for (unsigned r = 1; r < cases[i][s]; r++) {
                pbuf_ref(seg[s]);
            }
        }
        u8_t freed = pbuf_free(a);
        printf("refs %u-%u-%u: free=%u left:", cases[i][0], cases[i][1], cases[i][2], (unsigned)freed);
        for (unsigned s = freed; s < 3; s++) {
            printf(" %u", (unsigned)seg[s]->ref);
        }
        printf("\n");
        /* Drop the other references front to back; a release walks on to the next ones. */
        for (unsigned s = freed; s < 3;) {
            s += pbuf_free(seg[s]);
        }
    }
}

static void test_chains(void)
{
    struct pbuf *h = chain_of("ab", NULL, NULL);
    struct pbuf *t = chain_of("cd", "ef", NULL);
    pbuf_chain(h, t);
    dump("chain", h);
    struct pbuf *rest = pbuf_dechain(h);
    dump("  dechained head", h);
    dump("  rest", rest);
    printf("  rest_is_tail=%d\n", rest == t);
    pbuf_free(h);
    pbuf_free(t);

    h = chain_of("ab", "cd", NULL);
    printf("dechain last ref: %s\n", pbuf_dechain(h) ? "pbuf" : "NULL");
    printf("dechain single: %s\n", pbuf_dechain(h) ? "pbuf" : "NULL");
    pbuf_free(h);

    t = chain_of("x", NULL, NULL);
    pbuf_chain(NULL, t);
    pbuf_cat(NULL, t);
    pbuf_cat(t, NULL);
    dump("chain(NULL, t)", t);
    pbuf_free(t);
    pbuf_free(t);

    struct pbuf *p = chain_of("abc", "def", "ghi");
    pbuf_realloc(p, 20);
    dump("realloc 20", p);
    pbuf_realloc(p, 9);
    dump("realloc 9", p);
    pbuf_realloc(p, 5);
    dump("realloc 5", p);
    contents("  data", p);
    pbuf_realloc(p, 0);
    dump("realloc 0", p);
    pbuf_free(p);

    p = chain_of("abc", "defg", "hi");
    struct pbuf *second = p->next;
    struct pbuf *r = pbuf_free_header(p, 5);
    printf("free_header 5: is_second=%d\n", r == second);
    dump("  rest", r);
    contents("  data", r);
    printf("  free_header 0 same=%d\n", pbuf_free_header(r, 0) == r);
    printf("  free_header 99: %s\n", pbuf_free_header(r, 99) ? "pbuf" : "NULL");
    printf("  free_header NULL: %s\n", pbuf_free_header(NULL, 3) ? "pbuf" : "NULL");

#if LWIP_TCP && TCP_QUEUE_OOSEQ && LWIP_WND_SCALE
    struct pbuf *a = pbuf_alloc(PBUF_RAW, 30000, PBUF_REF);
    struct pbuf *b = pbuf_alloc(PBUF_RAW, 30000, PBUF_REF);
    struct pbuf *c = pbuf_alloc(PBUF_RAW, 30000, PBUF_REF);
    pbuf_cat(a, b);
    pbuf_cat(a, c);
    a->flags = PBUF_FLAG_TCP_FIN;
    dump("split_64k before", a);
    struct pbuf *tail = NULL;
    pbuf_split_64k(a, &tail);
    dump("  front", a);
    dump("  rest", tail);
    printf("  rest_is_c=%d\n", tail == c);
    pbuf_split_64k(a, &tail);
    printf("  again: %s\n", tail ? "pbuf" : "NULL");
    printf("  free=%u", (unsigned)pbuf_free(a));
    printf(" %u\n", (unsigned)pbuf_free(c));
#endif
}

static void test_headers(void)
{
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 10, PBUF_RAM);
    printf("headers: add(0x10000)=%u add(0)=%u remove(0)=%u\n", (unsigned)pbuf_add_header(p, 0x10000),
           (unsigned)pbuf_add_header(p, 0), (unsigned)pbuf_remove_header(p, 0));
    unsigned room = header_room(p);
    printf("  room=%u add(room+1)=%u", room, (unsigned)pbuf_add_header(p, room + 1));
    printf(" add(room)=%u\n", (unsigned)pbuf_add_header(p, room));
    dump("  grown", p);
    printf("  remove(len+1)=%u", (unsigned)pbuf_remove_header(p, p->len + 1));
    printf(" remove(0x10000)=%u", (unsigned)pbuf_remove_header(p, 0x10000));
    printf(" remove(len)=%u\n", (unsigned)pbuf_remove_header(p, p->len));
    dump("  empty", p);
    printf("  header(-1)=%u", (unsigned)pbuf_header(p, -1));
    printf(" header(-32768)=%u", (unsigned)pbuf_header(p, -32768));
    printf(" header(12)=%u", (unsigned)pbuf_header(p, 12));
    printf(" header_force(4)=%u\n", (unsigned)pbuf_header_force(p, 4));
    dump("  after", p);
    pbuf_free(p);

    /* Only the first pbuf's header moves; tot_len of the others is unchanged. */
    p = chain_of("1234", "5678", NULL);
    printf("chain remove(3)=%u\n", (unsigned)pbuf_remove_header(p, 3));
    dump("  chain", p);
    contents("  data", p);
    pbuf_free(p);
}

static void test_copies(void)
{
    struct pbuf *from = chain_of("0123", "45", "6789");
    struct pbuf *to = chain_of("......", "......", NULL);
    printf("copy=%d\n", (int)pbuf_copy(to, from));
    contents("  to", to);
    printf("copy_partial_pbuf(3 at 3)=%d\n", (int)pbuf_copy_partial_pbuf(to, from, 3, 3));
    contents("  to", to);
    printf("copy_partial_pbuf(4 at 6)=%d\n", (int)pbuf_copy_partial_pbuf(to, from, 4, 6));
    contents("  to", to);
    printf("copy_partial_pbuf errors: %d %d %d %d\n", (int)pbuf_copy_partial_pbuf(to, from, 11, 0),
           (int)pbuf_copy_partial_pbuf(to, from, 3, 10), (int)pbuf_copy_partial_pbuf(NULL, from, 1, 0),
           (int)pbuf_copy_partial_pbuf(to, NULL, 1, 0));
    printf("copy errors: %d %d\n", (int)pbuf_copy(NULL, from), (int)pbuf_copy(to, NULL));
    struct pbuf *small = chain_of("..", NULL, NULL);
    printf("copy into short=%d\n", (int)pbuf_copy(small, from));
    pbuf_free(small);

    /* A packet queue: each pbuf holds its whole packet, yet has a successor. */
    struct pbuf *x = chain_of("x", NULL, NULL), *y = chain_of("y", NULL, NULL), *z = chain_of("z", NULL, NULL);
    x->next = y;
    y->next = z;
    printf("copy from queue=%d\n", (int)pbuf_copy(to, x));
    printf("  free queue=%u\n", (unsigned)pbuf_free(x));

    char out[16];
    memset(out, '-', sizeof out);
    printf("copy_partial(6 at 3)=%u", (unsigned)pbuf_copy_partial(from, out, 6, 3));
    printf(" \"%.6s\"", out);
    printf(" (6 at 8)=%u (6 at 10)=%u (6 at 60)=%u NULLs=%u %u\n", (unsigned)pbuf_copy_partial(from, out, 6, 8),
           (unsigned)pbuf_copy_partial(from, out, 6, 10), (unsigned)pbuf_copy_partial(from, out, 6, 60),
           (unsigned)pbuf_copy_partial(NULL, out, 6, 0), (unsigned)pbuf_copy_partial(from, NULL, 6, 0));

    char buf[8];
    void *r = pbuf_get_contiguous(from, buf, sizeof buf, 3, 1);
    printf("get_contiguous(3 at 1): %s", r == (char *)from->payload + 1 ? "in payload" : r == buf ? "in buffer" : "NULL");
    r = pbuf_get_contiguous(from, buf, sizeof buf, 5, 3);
    printf(" (5 at 3): %s \"%.5s\"", r == buf ? "in buffer" : r ? "in payload" : "NULL", buf);
    r = pbuf_get_contiguous(from, buf, 4, 5, 3);
    printf(" small: %s", r ? "pointer" : "NULL");
    r = pbuf_get_contiguous(from, buf, sizeof buf, 5, 8);
    printf(" past end: %s", r ? "pointer" : "NULL");
    r = pbuf_get_contiguous(from, buf, sizeof buf, 0, 10);
    printf(" at end: %s", r ? "pointer" : "NULL");
    r = pbuf_get_contiguous(NULL, buf, sizeof buf, 1, 0);
    printf(" NULL p: %s", r ? "pointer" : "NULL");
    r = pbuf_get_contiguous(from, NULL, sizeof buf, 1, 0);
    printf(" NULL buffer: %s\n", r ? "pointer" : "NULL");

    struct pbuf *clone = pbuf_clone(PBUF_LINK, PBUF_RAM, from);
    dump("clone RAM", clone);
    contents("  data", clone);
    printf("  room=%u\n", header_room(clone));
    pbuf_free(clone);
    clone = pbuf_clone(PBUF_RAW, PBUF_POOL, from);
    printf("clone POOL: tot_len=%u type=0x%02x\n", (unsigned)clone->tot_len, (unsigned)clone->type_internal);
    contents("  data", clone);
    pbuf_free(clone);

    struct pbuf *single = pbuf_coalesce(from, PBUF_IP);
    dump("coalesce", single);
    contents("  data", single);
    printf("  room=%u again_same=%d\n", header_room(single), pbuf_coalesce(single, PBUF_RAW) == single);
    pbuf_free(single);
    pbuf_free(to);
}

static void test_take_and_bytes(void)
{
    struct pbuf *p = chain_of("....", "....", NULL);
    printf("take: long=%d", (int)pbuf_take(p, "abcdefghi", 9));
    printf(" NULL_buf=%d", (int)pbuf_take(NULL, "ab", 2));
    printf(" NULL_data=%d", (int)pbuf_take(p, NULL, 0));
    printf(" ok=%d\n", (int)pbuf_take(p, "abcdef", 6));
    contents("  data", p);
    printf("take_at: across=%d", (int)pbuf_take_at(p, "XYZ", 3, 3));
    printf(" past=%d", (int)pbuf_take_at(p, "XYZ", 3, 6));
    printf(" at_end=%d", (int)pbuf_take_at(p, "", 0, 8));
    printf(" empty=%d", (int)pbuf_take_at(p, NULL, 0, 2));
    printf(" NULL=%d\n", (int)pbuf_take_at(NULL, "a", 1, 0));
    contents("  data", p);

    for (u16_t off = 0; off <= 9; off += 3) {
        u16_t out = 0xAAAA;
        struct pbuf *q = pbuf_skip(p, off, &out);
        printf("skip(%u): %s out=%u\n", (unsigned)off, q == p ? "first" : q == p->next ? "second" : q ? "?" : "NULL",
               (unsigned)out);
    }
    u16_t out = 0xAAAA;
    printf("skip(NULL, 5): %s out=%u\n", pbuf_skip(NULL, 5, &out) ? "pbuf" : "NULL", (unsigned)out);
    printf("skip no out: %s\n", pbuf_skip(p, 4, NULL) == p->next ? "second" : "?");

    printf("get_at: %u %u %u try: %d %d %d NULL: %u %d\n", pbuf_get_at(p, 0), pbuf_get_at(p, 5), pbuf_get_at(p, 8),
           pbuf_try_get_at(p, 3), pbuf_try_get_at(p, 7), pbuf_try_get_at(p, 8), pbuf_get_at(NULL, 0),
           pbuf_try_get_at(NULL, 0));
    pbuf_put_at(p, 0, '<');
    pbuf_put_at(p, 7, '>');
    pbuf_put_at(p, 8, '!');
    pbuf_put_at(NULL, 0, '!');
    contents("put_at", p);
    pbuf_free(p);
}

static void test_search(void)
{
    struct pbuf *p = chain_of("GET /ind", "ex.html HT", "TP/1.1\r\n");
    printf("memcmp: %u %u %u %u %u %u\n", (unsigned)pbuf_memcmp(p, 4, "/index", 6),
           (unsigned)pbuf_memcmp(p, 4, "/inDex", 6), (unsigned)pbuf_memcmp(p, 4, "x", 1),
           (unsigned)pbuf_memcmp(p, 22, "\r\n", 2), (unsigned)pbuf_memcmp(p, 23, "\r\n", 2),
           (unsigned)pbuf_memcmp(p, 26, "", 0));
    printf("memfind: %u %u %u %u %u %u %u\n", (unsigned)pbuf_memfind(p, "/", 1, 0), (unsigned)pbuf_memfind(p, "/", 1, 5),
           (unsigned)pbuf_memfind(p, "x.h", 3, 0), (unsigned)pbuf_memfind(p, "nope", 4, 0),
           (unsigned)pbuf_memfind(p, "\r\n", 2, 24), (unsigned)pbuf_memfind(p, "", 0, 7),
           (unsigned)pbuf_memfind(p, "", 0, 27));
    printf("strstr: %u %u %u %u %u\n", (unsigned)pbuf_strstr(p, "HTTP/1.1"), (unsigned)pbuf_strstr(p, "GET"),
           (unsigned)pbuf_strstr(p, "html!"), (unsigned)pbuf_strstr(p, ""), (unsigned)pbuf_strstr(p, NULL));
    pbuf_free(p);
}

static void test_checksum(void)
{
#if LWIP_CHECKSUM_ON_COPY
    static const unsigned char data[] = {0x45, 0x00, 0x00, 0x54, 0xab, 0xcd, 0x40, 0x00, 0x40, 0x01, 0xff, 0xfe, 0x7f};
    struct pbuf *p = pbuf_alloc(PBUF_RAW, 32, PBUF_RAM);
    memset(p->payload, 0, 32);
    u16_t sum = 0;
    err_t e1 = pbuf_fill_chksum(p, 0, data, 10, &sum);
    u16_t even = sum;
    err_t e2 = pbuf_fill_chksum(p, 11, data + 10, 3, &sum);
    printf("fill_chksum: %d 0x%04x %d 0x%04x\n", (int)e1, (unsigned)even, (int)e2, (unsigned)sum);
    u16_t big = 0xfff0;
    static const unsigned char ff[] = {0xff, 0xff, 0x12};
    err_t e3 = pbuf_fill_chksum(p, 20, ff, 3, &big);
    printf("  fold=%d 0x%04x\n", (int)e3, (unsigned)big);
    printf("  errors: %d %d\n", (int)pbuf_fill_chksum(p, 32, data, 1, &sum), (int)pbuf_fill_chksum(p, 30, data, 3, &sum));
    contents("  data", p);
    pbuf_free(p);
#endif
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("PBUF_TRANSPORT=%d PBUF_IP=%d PBUF_LINK=%d RAM=0x%x POOL=0x%x ROM=0x%x REF=0x%x\n", (int)PBUF_TRANSPORT,
           (int)PBUF_IP, (int)PBUF_LINK, (unsigned)PBUF_RAM, (unsigned)PBUF_POOL, (unsigned)PBUF_ROM, (unsigned)PBUF_REF);
    test_alloc_layers();
    test_pool_chains();
    test_reference();
    test_custom();
    test_refcounts();
    test_chains();
    test_headers();
    test_copies();
    test_take_and_bytes();
    test_search();
    test_checksum();
    printf("clen(NULL)=%u\n", (unsigned)pbuf_clen(NULL));
    pbuf_ref(NULL);
    printf("done\n");
    return 0;
}
