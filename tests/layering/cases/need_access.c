/* Layering case (tests/layering): need sits below access */
#include "geodata/access.h"

int layering_case_need_access(void);
int layering_case_need_access(void)
{
    return 0;
}
