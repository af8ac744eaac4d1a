#pragma once
// Lets the render jobs of canvases about to be deleted finish first.
//
// QgsMapCanvas::stopRendering() (QGIS 3.22), called by every refresh that meets a render under
// way, cancels the old job without blocking and lets it run on, detached from the canvas, with a
// raw pointer to the canvas's render cache; QgsMapCanvas's destructor cancels only its current
// job. A canvas deleted before a detached job ended is written into when that job's future
// reports (QgsMapRendererCache::setCacheImageWithParameters from
// QgsMapRendererCustomPainterJob::futureFinished): a crash at close, seen in the console's tests.
// QField fixed the same in its own canvas (opengisch/QField#7862).

#include <initializer_list>

class QgsMapCanvas;

namespace gd::map {

/**
 * Cancels the current jobs of \a canvases, waits (up to \a timeoutMs in all) for every render
 * job running in Qt's global thread pool, detached ones included, and delivers what their
 * futures report, so that none is left to write into a deleted canvas. Call it before the
 * canvases (or the layers they draw) are deleted.
 */
void finishRenderJobs(std::initializer_list<QgsMapCanvas *> canvases, int timeoutMs = 10000);

} // namespace gd::map
