/* Layering case (tests/layering): render sits below store */
#include "tiles/store.h"

int layering_case_render_store(void);
int layering_case_render_store(void)
{
    return 0;
}
