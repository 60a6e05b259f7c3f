/* QGIS styles as QML and SLD (styles.h, "QGIS styles"). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text as XML character data or an attribute value. */
static void put_xml(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A CSS pixel as QGIS's "Pixel" unit; widths and sizes stay those of the
 * tiles at 256 px. */
static void put_prop(FILE *f, const char *k, const char *v)
{
    fprintf(f, "          <prop k=\"%s\" v=\"%s\"/>\n", k, v);
}

static void put_rgba(FILE *f, const char *k, mg_rgba c)
{
    char v[32];
    snprintf(v, sizeof v, "%u,%u,%u,%u", c.r, c.g, c.b, c.a);
    put_prop(f, k, v);
}

static void put_number(FILE *f, const char *k, double x)
{
    char v[32];
    snprintf(v, sizeof v, "%g", x);
    put_prop(f, k, v);
}

static void qml_symbol(FILE *f, const mg_qgis_style *s, size_t i)
{
    const mg_qgis_category *c = &s->categories[i];
    fprintf(f,
            "      <symbol type=\"%s\" name=\"%zu\" alpha=\"1\" "
            "clip_to_extent=\"1\" force_rhr=\"0\">\n"
            "        <layer class=\"%s\" enabled=\"1\" locked=\"0\" "
            "pass=\"0\">\n",
            s->points ? "marker" : "fill", i,
            s->points ? "SimpleMarker" : "SimpleFill");
    put_rgba(f, "color", c->colour);
    put_rgba(f, "outline_color", s->outline);
    put_prop(f, "outline_style", s->outline_width > 0 ? "solid" : "no");
    put_number(f, "outline_width", s->outline_width);
    put_prop(f, "outline_width_unit", "Pixel");
    if (s->points) {
        put_prop(f, "name", "circle");
        put_number(f, "size", 2 * s->radius);
        put_prop(f, "size_unit", "Pixel");
    } else {
        put_prop(f, "style", "solid");
    }
    fputs("        </layer>\n      </symbol>\n", f);
}

static void qml_renderer(FILE *f, const mg_qgis_style *s)
{
    if (!s->field) {
        fputs("  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" "
              "enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n",
              f);
        if (s->n)
            qml_symbol(f, s, 0);
        fputs("    </symbols>\n  </renderer-v2>\n", f);
        return;
    }
    fputs("  <renderer-v2 type=\"categorizedSymbol\" attr=\"", f);
    put_xml(f, s->field);
    fputs("\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
          "    <categories>\n",
          f);
    for (size_t i = 0; i < s->n; i++) {
        fputs("      <category value=\"", f);
        put_xml(f, s->categories[i].value);
        fputs("\" label=\"", f);
        put_xml(f, s->categories[i].label);
        fprintf(f, "\" symbol=\"%zu\" render=\"true\"/>\n", i);
    }
    fputs("    </categories>\n    <symbols>\n", f);
    for (size_t i = 0; i < s->n; i++)
        qml_symbol(f, s, i);
    fputs("    </symbols>\n  </renderer-v2>\n", f);
}

char *mg_qgis_qml(const mg_qgis_style *s)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fputs("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
          "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Fields\">\n",
          f);
    qml_renderer(f, s);
    fputs("  <aliases>\n", f);
    for (size_t i = 0; i < s->n_aliases; i++) {
        fputs("    <alias field=\"", f);
        put_xml(f, s->aliases[i].field);
        fprintf(f, "\" index=\"%zu\" name=\"", i);
        put_xml(f, s->aliases[i].alias);
        fputs("\"/>\n", f);
    }
    fputs("  </aliases>\n</qgis>\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        free(text);
        return NULL;
    }
    return text;
}

static void sld_symbolizer(FILE *f, const mg_qgis_style *s, mg_rgba c)
{
    char fill[8], line[8];
    snprintf(fill, sizeof fill, "#%02x%02x%02x", c.r, c.g, c.b);
    snprintf(line, sizeof line, "#%02x%02x%02x", s->outline.r, s->outline.g,
             s->outline.b);
    const char *ind = s->points ? "            " : "          ";
    if (s->points)
        fputs("          <se:PointSymbolizer>\n            <se:Graphic>\n"
              "              <se:Mark><se:WellKnownName>circle"
              "</se:WellKnownName>\n",
              f);
    else
        fputs("          <se:PolygonSymbolizer>\n", f);
    fprintf(f,
            "%s<se:Fill><se:SvgParameter name=\"fill\">%s</se:SvgParameter>"
            "<se:SvgParameter name=\"fill-opacity\">%.3g</se:SvgParameter>"
            "</se:Fill>\n",
            ind, fill, c.a / 255.0);
    if (s->outline_width > 0)
        fprintf(f,
                "%s<se:Stroke><se:SvgParameter name=\"stroke\">%s"
                "</se:SvgParameter><se:SvgParameter name=\"stroke-width\">"
                "%g</se:SvgParameter></se:Stroke>\n",
                ind, line, s->outline_width);
    if (s->points)
        fprintf(f,
                "              </se:Mark>\n              <se:Size>%g"
                "</se:Size>\n            </se:Graphic>\n"
                "          </se:PointSymbolizer>\n",
                2 * s->radius);
    else
        fputs("          </se:PolygonSymbolizer>\n", f);
}

static void sld_rule(FILE *f, const mg_qgis_style *s, size_t i)
{
    const mg_qgis_category *c = &s->categories[i];
    fputs("        <se:Rule>\n          <se:Name>", f);
    put_xml(f, c->label);
    fputs("</se:Name>\n          <se:Description><se:Title>", f);
    put_xml(f, c->label);
    fputs("</se:Title></se:Description>\n", f);
    if (s->field && c->value) {
        fputs("          <ogc:Filter><ogc:PropertyIsEqualTo>"
              "<ogc:PropertyName>",
              f);
        put_xml(f, s->field);
        fputs("</ogc:PropertyName><ogc:Literal>", f);
        put_xml(f, c->value);
        fputs("</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>\n", f);
    } else if (s->field) {
        fputs("          <se:ElseFilter/>\n", f);
    }
    sld_symbolizer(f, s, c->colour);
    fputs("        </se:Rule>\n", f);
}

char *mg_qgis_sld(const mg_qgis_style *s)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<StyledLayerDescriptor version=\"1.1.0\" "
          "xmlns=\"http://www.opengis.net/sld\" "
          "xmlns:ogc=\"http://www.opengis.net/ogc\" "
          "xmlns:se=\"http://www.opengis.net/se\" "
          "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:schemaLocation=\"http://www.opengis.net/sld "
          "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"
          "\">\n  <NamedLayer>\n    <se:Name>",
          f);
    put_xml(f, s->layer);
    fputs("</se:Name>\n    <UserStyle>\n      <se:Name>", f);
    put_xml(f, s->name);
    fputs("</se:Name>\n      <se:FeatureTypeStyle>\n", f);
    for (size_t i = 0; i < s->n && (s->field || i == 0); i++)
        sld_rule(f, s, i);
    fputs("      </se:FeatureTypeStyle>\n    </UserStyle>\n"
          "  </NamedLayer>\n</StyledLayerDescriptor>\n",
          f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        free(text);
        return NULL;
    }
    return text;
}
