/* The meeting shell: creates the Jitsi meeting with the IFrame API and
 * forwards its events to the Confab bridge.
 *
 * The view calls confabShell.start() and confabShell.command() with
 * webkit_web_view_call_async_javascript_function(), passing every value as
 * an argument. Events go to the bridge as "confab-bridge-message" DOM events
 * carrying a JSON string, which only the bridge's isolated world listens to.
 */
(function () {
    'use strict';

    const BRIDGE_EVENT = 'confab-bridge-message';

    let api = null;
    let subject = null;
    let token = null;
    let audioMuted = null;

    function post(event, fields = {}) {
        const detail = JSON.stringify(Object.assign({}, fields, { event, token }));

        document.dispatchEvent(new CustomEvent(BRIDGE_EVENT, { detail }));
    }

    function loadScript(url) {
        return new Promise((resolve, reject) => {
            const script = document.createElement('script');

            script.src = url;
            script.onload = resolve;
            script.onerror = () => reject(new Error(`Could not load ${url}`));
            document.head.appendChild(script);
        });
    }

    function addListeners() {
        api.addListener('videoConferenceJoined', event => {
            post('conferenceJoined', { id: event.id, displayName: event.displayName });
            if (subject)
                api.executeCommand('subject', subject);
        });
        api.addListener('participantJoined', event =>
            post('participantJoined', { id: event.id, displayName: event.displayName }));
        api.addListener('participantLeft', event => post('participantLeft', { id: event.id }));
        api.addListener('readyToClose', () => post('readyToClose'));
        api.addListener('audioMuteStatusChanged', event => {
            audioMuted = event.muted;
            post('audioMuteChanged', { muted: event.muted });
        });

        /* Jitsi's API.notifyError() sends {error: {name, type, isFatal, ...}};
         * an event without "error" is read as the error itself. */
        api.addListener('errorOccurred', event => {
            const error = (event && typeof event.error === 'object' && event.error) || event || {};

            post('error', { name: error.name, type: error.type, isFatal: error.isFatal });
        });
    }

    async function start(params) {
        subject = params.subject || null;
        token = params.token;

        try {
            await loadScript(`https://${params.domain}/external_api.js`);
        } catch (e) {
            post('loadFailed');
            return;
        }

        if (typeof window.JitsiMeetExternalAPI !== 'function') {
            post('apiMissing');
            return;
        }

        api = new window.JitsiMeetExternalAPI(params.domain, {
            roomName: params.roomName,
            jwt: params.jwt || undefined,
            parentNode: document.getElementById('meeting'),
            width: '100%',
            height: '100%',
            userInfo: {
                displayName: params.displayName || undefined,
                email: params.email || undefined
            },
            configOverwrite: {
                prejoinConfig: { enabled: false },
                prejoinPageEnabled: false,
                disableDeepLinking: true
            }
        });
        addListeners();
    }

    /* Jitsi has only a toggle for the local microphone, so compare first. */
    async function setAudioMuted(muted) {
        let current = audioMuted;

        try {
            current = await api.isAudioMuted();
        } catch (e) {
            /* Older Transport versions reject a `false` result: keep the
             * state from the last audioMuteStatusChanged event. */
        }
        if (Boolean(current) !== muted)
            api.executeCommand('toggleAudio');
    }

    function command(name, argument) {
        if (!api)
            return false;

        switch (name) {
        case 'hangup':
            api.executeCommand('hangup');
            break;
        case 'muteAudio':
            setAudioMuted(true);
            break;
        case 'unmuteAudio':
            setAudioMuted(false);
            break;
        case 'muteParticipant':
            api.executeCommand('muteRemoteParticipant', argument, 'audio');
            break;
        case 'muteEveryone':
            api.executeCommand('muteEveryone', 'audio');
            break;
        case 'kickParticipant':
            api.executeCommand('kickParticipant', argument);
            break;
        case 'grantModerator':
            api.executeCommand('grantModerator', argument);
            break;
        default:
            return false;
        }

        return true;
    }

    function dispose() {
        if (api)
            api.dispose();
        api = null;
    }

    window.confabShell = Object.freeze({ start, command, dispose });
})();
