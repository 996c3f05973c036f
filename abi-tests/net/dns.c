/*
 * DNS in a profile with LWIP_DNS (the native profile): a real DNS server (dnsmasq) on
 * the kernel side answers lwip_getaddrinfo, lwip_gethostbyname(_r), netconn_gethostbyname
 * and dns_gethostbyname (with its callback); unknown names fail with lwIP's codes.
 * Usage (in a namespace with tap0 = PREFIX.1/24, dnsmasq on PREFIX.1): dns PREFIX
 */
#include "../diff/lib/diffstack.h"
#include "lwip/api.h"
#include "lwip/dns.h"
#include "lwip/netdb.h"

static int failures;
#define CHECK(cond, ...)                                                                         \
    do {                                                                                         \
        printf((cond) ? "ok   " : "FAIL ");                                                      \
        failures += !(cond);                                                                     \
        printf(__VA_ARGS__);                                                                     \
        printf("\n");                                                                            \
    } while (0)

static sys_sem_t found_sem;
static ip_addr_t found_addr;
static int found_ok;
static char found_name[64];

static void found(const char *name, const ip_addr_t *ipaddr, void *arg)
{
    (void)arg;
    snprintf(found_name, sizeof found_name, "%s", name);
    found_ok = ipaddr != NULL;
    if (ipaddr)
        found_addr = *ipaddr;
    sys_sem_signal(&found_sem);
}

static ip_addr_t expect77;

int main(int argc, char **argv)
{
    stack_up(argc > 1 ? argv[1] : "10.95.0");
    ip_addr_t server;
    ipaddr_aton(host(1), &server);
    ipaddr_aton(host(77), &expect77);
    dns_setserver(0, &server);
    CHECK(ip_addr_cmp(dns_getserver(0), &server), "dns_setserver / dns_getserver");

    struct addrinfo *res = NULL, hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    int r = lwip_getaddrinfo("test.smolwip", "80", &hints, &res);
    char text[64] = "";
    if (r == 0)
        lwip_inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, text, sizeof text);
    CHECK(r == 0 && strcmp(text, "10.95.0.77") == 0, "getaddrinfo(test.smolwip) = %s", text);
    if (res)
        lwip_freeaddrinfo(res);

    hints.ai_family = AF_INET6;
    res = NULL;
    r = lwip_getaddrinfo("v6.smolwip", NULL, &hints, &res);
    text[0] = 0;
    if (r == 0)
        lwip_inet_ntop(AF_INET6, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, text, sizeof text);
    CHECK(r == 0 && strcmp(text, "FD00:95::77") == 0, "getaddrinfo(v6.smolwip, AF_INET6) = %s", text);
    if (res)
        lwip_freeaddrinfo(res);

    res = NULL;
    r = lwip_getaddrinfo("nosuch.smolwip", NULL, NULL, &res);
    CHECK(r == EAI_FAIL && res == NULL, "getaddrinfo of an unknown name gives EAI_FAIL (%d)", r);

    struct hostent *h = lwip_gethostbyname("test.smolwip");
    CHECK(h && h->h_addrtype == AF_INET && (unsigned char)h->h_addr_list[0][3] == 77, "gethostbyname(test.smolwip)");
    struct hostent he, *hr = NULL;
    char buf[256];
    int herr = 0;
    r = lwip_gethostbyname_r("test.smolwip", &he, buf, sizeof buf, &hr, &herr);
    CHECK(r == 0 && hr == &he && (unsigned char)he.h_addr_list[0][3] == 77, "gethostbyname_r(test.smolwip)");
    r = lwip_gethostbyname_r("test.smolwip", &he, buf, 8, &hr, &herr);
    CHECK(r == -1 && herr == ERANGE, "gethostbyname_r with a small buffer gives ERANGE");

    ip_addr_t a;
    err_t e = netconn_gethostbyname("test.smolwip", &a);
    CHECK(e == ERR_OK && ip_addr_cmp(&a, &expect77), "netconn_gethostbyname");
    e = netconn_gethostbyname("nosuch.smolwip", &a);
    CHECK(e == ERR_VAL, "netconn_gethostbyname of an unknown name gives ERR_VAL (%d)", e);

    sys_sem_new(&found_sem, 0);
    e = dns_gethostbyname("10.1.2.3", &a, found, NULL);
    CHECK(e == ERR_OK, "dns_gethostbyname of a numeric address answers at once");
    e = dns_gethostbyname("test.smolwip", &a, found, NULL);
    CHECK(e == ERR_INPROGRESS, "dns_gethostbyname starts a query (%d)", e);
    u32_t waited = sys_arch_sem_wait(&found_sem, 5000);
    CHECK(waited != SYS_ARCH_TIMEOUT && found_ok && strcmp(found_name, "test.smolwip") == 0 &&
              ip_addr_cmp(&found_addr, &expect77),
          "dns_gethostbyname's callback got the answer");
    e = dns_gethostbyname("nosuch.smolwip", &a, found, NULL);
    waited = sys_arch_sem_wait(&found_sem, 15000);
    CHECK(e == ERR_INPROGRESS && waited != SYS_ARCH_TIMEOUT && !found_ok, "the callback is told when a name does not exist");
    CHECK(dns_gethostbyname(NULL, &a, found, NULL) == ERR_ARG, "dns_gethostbyname(NULL) gives ERR_ARG");
    printf("%d failed\n", failures);
    return failures != 0;
}
