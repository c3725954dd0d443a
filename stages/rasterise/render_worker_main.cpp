// juesuan-render: renders one page of a PDF for the rasterise stage (see render_worker.h).
#include "stages/rasterise/render_worker.h"

int main(int argc, char** argv) { return juesuan::RenderWorkerMain(argc, argv); }
