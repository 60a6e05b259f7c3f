/* Layering case (tests/layering): styles includes only geodata's core */
#include "geodata/input.h"

int layering_case_styles_input(void);
int layering_case_styles_input(void)
{
    return 0;
}
