import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { formatDate, deserializeDate } from "@web/core/l10n/dates";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { TextInputPopup } from "@point_of_sale/app/utils/input_popups/text_input_popup";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";

patch(ControlButtons.prototype, {
    /** Warranty Lookup: the back office's lookup, from the till. */
    async clickSerialWarrantyLookup() {
        const code = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Warranty Lookup"),
            placeholder: _t("Type or scan a serial number"),
        });
        if (!code || !code.trim()) {
            return;
        }
        let unit;
        try {
            unit = await this.pos.data.call("stock.lot", "serial_pos_warranty_info", [
                this.pos.config.id,
                code,
            ]);
        } catch (error) {
            const message = error?.data?.message || error?.message || String(error);
            this.dialog.add(AlertDialog, { title: _t("Warranty Lookup"), body: message });
            return;
        }
        const states = {
            none: _t("no coverage"),
            pending: _t("pending"),
            active: _t("active"),
            expired: _t("expired"),
        };
        const lines = [
            _t("Serial: %s", unit.serial),
            _t("Product: %s", unit.product || "-"),
            _t("Warranty: %s", states[unit.warranty_state] || unit.warranty_state),
        ];
        if (unit.warranty_end) {
            lines.push(_t("Covered until: %s", formatDate(deserializeDate(unit.warranty_end))));
        }
        lines.push(_t("Owner: %s", unit.owner || "-"));
        this.dialog.add(AlertDialog, {
            title: _t("Warranty Lookup"),
            body: lines.join("\n"),
        });
    },
});
