/* The Confab bridge, injected into the top frame only, in the isolated
 * script world that contains the "confab" message handler.
 *
 * Scripts of the page itself run in the main world, where
 * window.webkit.messageHandlers.confab does not exist, and the cross-origin
 * meeting iframe cannot reach this document at all. The shell page hands
 * messages to this world as "confab-bridge-message" DOM events whose detail
 * is a JSON string, and the view validates every message again in C.
 */
(function () {
    'use strict';

    if (location.href !== 'confab-meeting://meeting/shell.html')
        return;

    /* The view drops larger messages too, but stopping them here saves copying them. */
    const MESSAGE_MAX = 8 * 1024;
    const handler = window.webkit.messageHandlers.confab;

    document.addEventListener('confab-bridge-message', event => {
        if (typeof event.detail === 'string' && event.detail.length <= MESSAGE_MAX)
            handler.postMessage(event.detail);
    });
})();
