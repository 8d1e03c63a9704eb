// Show the new passkey in the list once the browser and the server have registered it.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
