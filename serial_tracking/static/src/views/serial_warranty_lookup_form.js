import { registry } from "@web/core/registry";
import { usePager } from "@web/search/pager_hook";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";

/**
 * The warranty lookup is a search screen on a transient record: the serial stays
 * editable (also when the desk comes back to the screen from a breadcrumb, which
 * edit="0" would show read-only), and there is nothing to save or discard (the
 * buttons save the lookup themselves) and no other lookup to page through.
 */
export class SerialWarrantyLookupFormController extends FormController {
    setup() {
        super.setup();
        this.canEdit = false; // hides Save and Discard, not the fields
        usePager(() => null);
    }
}

registry.category("views").add("serial_warranty_lookup_form", {
    ...formView,
    Controller: SerialWarrantyLookupFormController,
});
