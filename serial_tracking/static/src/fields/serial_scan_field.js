import { _t } from "@web/core/l10n/translation";
import { getActiveHotkey } from "@web/core/hotkeys/hotkey_service";
import { registry } from "@web/core/registry";
import { CharField, charField } from "@web/views/fields/char/char_field";

import { useEffect } from "@odoo/owl";

/**
 * Input for handheld scanners, which type the code and then press Enter.
 *
 * Enter applies the code at once (the onchange runs as when leaving the field) and the
 * focus stays here. In an editable list, Enter would otherwise add a line or move to
 * the next row, and the next scan would land in a product field. The code is
 * selected right away, so the next scan replaces it even before the server answers;
 * fields the onchange empties (the order line's scan cell) are then simply empty.
 */
export class SerialScanField extends CharField {
    setup() {
        super.setup();
        useEffect(
            (inputEl) => {
                if (!inputEl) {
                    return;
                }
                const onKeydown = (ev) => this.onScanKeydown(ev);
                inputEl.addEventListener("keydown", onKeydown);
                return () => inputEl.removeEventListener("keydown", onKeydown);
            },
            () => [this.input.el]
        );
    }

    async onScanKeydown(ev) {
        if (getActiveHotkey(ev) !== "enter") {
            return;
        }
        // Not for the list (new line, next row) nor anything above it.
        ev.preventDefault();
        ev.stopPropagation();
        const input = this.input.el;
        const code = input.value;
        input.select();
        // The input hook commits on Enter too; asking again is harmless and does not
        // depend on which listener runs first. Then wait for the onchange.
        const { model } = this.props.record;
        const proms = [];
        model.bus.trigger("NEED_LOCAL_CHANGES", { proms });
        await Promise.all(proms);
        await model.mutex.getUnlockedDef();
        // Nothing typed since: the code stays selected for the next scan.
        if (document.activeElement === input && input.value === code) {
            input.select();
        }
    }
}

export const serialScanField = {
    ...charField,
    component: SerialScanField,
    displayName: _t("Serial Scan"),
};

registry.category("fields").add("serial_scan", serialScanField);
