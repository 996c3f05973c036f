/* The differential test runs the tap example itself (examples/tap_netif.c). */
#include "../../examples/tap_netif.c"
