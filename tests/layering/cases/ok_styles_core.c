/* Layering case (tests/layering): control: styles may include core */
#include "geodata/core.h"

int layering_case_ok_styles_core(void);
int layering_case_ok_styles_core(void)
{
    return 0;
}
