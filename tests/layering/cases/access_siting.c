/* Layering case (tests/layering): access sits below siting */
#include "geodata/siting.h"

int layering_case_access_siting(void);
int layering_case_access_siting(void)
{
    return 0;
}
