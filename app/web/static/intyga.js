// Improvements only: every page works without this script. It starts govuk-frontend's
// components, so that, for one, an error summary takes focus when the page opens.
import { initAll } from './govuk/govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported')
initAll()
