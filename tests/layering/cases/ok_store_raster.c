/* Layering case (tests/layering): control: store may include raster */
#include "tiles/raster.h"

int layering_case_ok_store_raster(void);
int layering_case_ok_store_raster(void)
{
    return 0;
}
