/* Layering case (tests/layering): core may include no module above it */
#include "geodata/input.h"

int layering_case_core_input(void);
int layering_case_core_input(void)
{
    return 0;
}
