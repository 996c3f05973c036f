/* make demo (foundation stage): a C program linked against build/liblwip.so.0 that prints
 * what it is linked against. The network demo replaces it once the stack exists. */
#include <stdio.h>
#include "smolwip.h"

int main(void)
{
    size_t layouts = 0, constants = 0;
    smolwip_abi_layouts(&layouts);
    smolwip_abi_constants(&constants);
    printf("smolwip %s, ABI profile \"%s\": %zu layout items, %zu constants from the lwIP headers\n",
           smolwip_version(), smolwip_abi_profile(), layouts, constants);
    return 0;
}
