/*
 * ABI check: the C compiler's view of the profile's lwIP headers against the library's.
 *
 * Compiled against the same headers as the library, linked against build/liblwip.so.0.
 * For every item in include/smolwip_abi_items.h it compares size/alignment/offset or value
 * with the table the library exports (built from bindgen's Rust types), and fails if the
 * two sides disagree or if either side has an item the other lacks.
 *
 * Usage: abi_check [-v]     (-v prints every item)
 */
#include <stdio.h>
#include <string.h>
#include <stddef.h>

/* TCP_MSS must be read from lwipopts.h before any system socket header can redefine it. */
#include "lwip/opt.h"
#define SMOLWIP_LAYOUT(rs, ctype)
#define SMOLWIP_FIELD(rs, ctype, f)
#define SMOLWIP_CONST(name, t) static const long long early_##name = (long long)(name);
#define SMOLWIP_ITEMS_EARLY
#include "smolwip_abi_items.h"
#undef SMOLWIP_ITEMS_EARLY
#undef SMOLWIP_LAYOUT
#undef SMOLWIP_FIELD
#undef SMOLWIP_CONST

#include "smolwip_abi.h"
#include "smolwip.h"

static int verbose;
static int failures;
static size_t layouts_checked, constants_checked;

static const smolwip_abi_layout *lib_layouts;
static size_t lib_layouts_n;
static const smolwip_abi_constant *lib_constants;
static size_t lib_constants_n;

static const smolwip_abi_layout *find_layout(const char *type, const char *field)
{
    for (size_t i = 0; i < lib_layouts_n; i++) {
        const smolwip_abi_layout *l = &lib_layouts[i];
        if (strcmp(l->type_name, type) != 0)
            continue;
        if ((field == NULL) != (l->field == NULL))
            continue;
        if (field == NULL || strcmp(l->field, field) == 0)
            return l;
    }
    return NULL;
}

static void check_type(const char *type, size_t size, size_t align)
{
    const smolwip_abi_layout *l = find_layout(type, NULL);
    layouts_checked++;
    if (l == NULL) {
        printf("FAIL layout %s: missing from the library's table\n", type);
        failures++;
    } else if (l->size != size || l->align != align) {
        printf("FAIL layout %s: C size %zu align %zu, library size %zu align %zu\n", type, size, align,
               l->size, l->align);
        failures++;
    } else if (verbose) {
        printf("ok   %-18s size %3zu align %zu\n", type, size, align);
    }
}

static void check_field(const char *type, const char *field, size_t offset, size_t size)
{
    const smolwip_abi_layout *l = find_layout(type, field);
    layouts_checked++;
    if (l == NULL) {
        printf("FAIL field %s.%s: missing from the library's table\n", type, field);
        failures++;
    } else if (l->offset != offset || l->size != size) {
        printf("FAIL field %s.%s: C offset %zu size %zu, library offset %zu size %zu\n", type, field, offset,
               size, l->offset, l->size);
        failures++;
    } else if (verbose) {
        printf("ok   %-18s .%-22s offset %3zu size %zu\n", type, field, offset, size);
    }
}

static void check_const(const char *name, long long value)
{
    constants_checked++;
    for (size_t i = 0; i < lib_constants_n; i++) {
        if (strcmp(lib_constants[i].name, name) == 0) {
            if (lib_constants[i].value != value) {
                printf("FAIL const %s: C %lld, library %lld\n", name, value, (long long)lib_constants[i].value);
                failures++;
            } else if (verbose) {
                printf("ok   %-28s = %lld\n", name, value);
            }
            return;
        }
    }
    printf("FAIL const %s: missing from the library's table\n", name);
    failures++;
}

int main(int argc, char **argv)
{
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    lib_layouts = smolwip_abi_layouts(&lib_layouts_n);
    lib_constants = smolwip_abi_constants(&lib_constants_n);

#define SMOLWIP_LAYOUT(rs, ctype) check_type(#rs, sizeof(ctype), _Alignof(ctype));
#define SMOLWIP_FIELD(rs, ctype, f) check_field(#rs, #f, offsetof(ctype, f), sizeof(((ctype *)0)->f));
#define SMOLWIP_CONST(name, t) check_const(#name, early_##name);
#define SMOLWIP_ITEMS_EARLY
#include "smolwip_abi_items.h"
#undef SMOLWIP_ITEMS_EARLY
#undef SMOLWIP_CONST
#define SMOLWIP_CONST(name, t) check_const(#name, (long long)(name));
#include "smolwip_abi_items.h"

    /* Items the library has but this compiler's view lacks mean the two were built from
     * different headers: that is a mismatch too. */
    if (layouts_checked != lib_layouts_n) {
        printf("FAIL layouts: C checked %zu items, library exports %zu\n", layouts_checked, lib_layouts_n);
        failures++;
    }
    if (constants_checked != lib_constants_n) {
        printf("FAIL constants: C checked %zu items, library exports %zu\n", constants_checked, lib_constants_n);
        failures++;
    }

    printf("abi profile %s (smolwip %s)\n", smolwip_abi_profile(), smolwip_version());
    printf("layouts: %zu checked, %s\n", layouts_checked, failures ? "MISMATCH" : "all agree");
    printf("constants: %zu checked, %s\n", constants_checked, failures ? "MISMATCH" : "all agree");
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
    return failures ? 1 : 0;
}
