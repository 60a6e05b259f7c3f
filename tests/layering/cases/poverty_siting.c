/* Layering case (tests/layering): poverty does not depend on siting */
#include "geodata/siting.h"

int layering_case_poverty_siting(void);
int layering_case_poverty_siting(void)
{
    return 0;
}
