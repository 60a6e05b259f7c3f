/* Layering case (tests/layering): raster sits below render */
#include "tiles/render.h"

int layering_case_raster_render(void);
int layering_case_raster_render(void)
{
    return 0;
}
