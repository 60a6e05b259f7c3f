/* Layering case (tests/layering): input sits below need */
#include "geodata/need.h"

int layering_case_input_need(void);
int layering_case_input_need(void)
{
    return 0;
}
