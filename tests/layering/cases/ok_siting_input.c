/* Layering case (tests/layering): control: siting may include input */
#include "geodata/input.h"

int layering_case_ok_siting_input(void);
int layering_case_ok_siting_input(void)
{
    return 0;
}
