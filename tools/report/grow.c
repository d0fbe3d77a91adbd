/* The one way the report's arrays grow (grow.h). */
#include <stdlib.h>

#include "grow.h"

int dbs_grow(void *arrayp, unsigned n, unsigned *cap, size_t size, unsigned first)
{
    void **array = arrayp;
    unsigned want;
    void *grown;

    if (n < *cap)
        return 0;
    want = *cap ? 2 * *cap : first;
    grown = realloc(*array, (size_t)want * size);
    if (!grown)
        return -1;
    *array = grown;
    *cap = want;
    return 0;
}
