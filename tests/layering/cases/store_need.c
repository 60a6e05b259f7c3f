/* Layering case (tests/layering): tiles include only geodata's core */
#include "geodata/need.h"

int layering_case_store_need(void);
int layering_case_store_need(void)
{
    return 0;
}
