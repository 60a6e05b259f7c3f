/* Layering case (tests/layering): a module's internal header is its own */
#include "store_internal.h"

int layering_case_pipeline_private(void);
int layering_case_pipeline_private(void)
{
    return 0;
}
