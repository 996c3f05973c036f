/* Built by cmake/example/CMakeLists.txt: proves the imported target carries the profile's
 * include dirs (lwIP headers compile) and that the program links and runs statically. */
#include <stdio.h>
#include <string.h>
#include "lwip/opt.h"
#include "lwip/err.h"
#include "smolwip.h"

int main(void)
{
    size_t n = 0;
    const smolwip_abi_constant *c = smolwip_abi_constants(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].name, "ERR_INPROGRESS") == 0 && c[i].value != ERR_INPROGRESS) {
            printf("cmake example: ERR_INPROGRESS disagrees\n");
            return 1;
        }
    }
    printf("cmake example: smolwip %s (%s profile), %zu constants\n", smolwip_version(), smolwip_abi_profile(), n);
    return n > 0 ? 0 : 1;
}
